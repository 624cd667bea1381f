"""A collection's textures filtered, sorted and keyset-paged in SQL (never OFFSET, never Python loops).

The cursor is opaque to callers: base64 of the sort, its direction, and the last row's (key, id).
Paging walks an index ((collection, name_key, id) or (collection, updated_at, id)) from where the last
page stopped, so page 500 costs what page 1 costs. A top-level colour: term with few textures starts
from those instead (query_sql.compiled); sort "rank" pages by distance (ranked_pages).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_

from server_api.core.errors import VaultError
from server_api.store.entities import SORT_KEYS, TextureQuery
from server_api.store.limits import MAX_PAGE
from server_api.store.query import parse
from server_api.store.sql import ranked_pages
from server_api.store.sql.convert import T, V, utc
from server_api.store.sql.query_sql import compiled, condition

ID_BITS, SIZE_BITS = 32, 64  # ids are INTEGER columns, byte sizes BIGINT


def sort_column(sort: str) -> ColumnElement:
    if sort in ("name", "rank"):  # rank: a query without similar:/colour: is in name order
        return T.c.name_key
    if sort == "date":
        return T.c.updated_at
    if sort == "size":
        return V.c.byte_size
    raise VaultError("invalid_argument", f"sort must be one of {', '.join(SORT_KEYS)}, not {sort!r}")


def filtered(stmt: Select, session, scope: ColumnElement, query: TextureQuery) -> Select:
    """Add the query's conditions (store/query's language, compiled by query_sql) within ``scope``
    (a condition on the texture's collection); ``stmt`` must already join the current version
    (convert.texture_select). Trashed textures never match. Callers run check_query first."""
    where = condition(session, parse(query.text), scope)
    return stmt.where(scope, T.c.deleted_at.is_(None), where)


def check_query(query: TextureQuery) -> None:
    """Refuse a malformed query or sort with a clear message (naming the bad token) before SQL."""
    if not isinstance(query.text, str):
        raise VaultError("invalid_argument", "bad texture filter: the query must be text")
    sort_column(query.sort)
    parse(query.text)


def page(s, stmt: Select, scope: ColumnElement, query: TextureQuery, limit: int,
         cursor: str | None) -> tuple[list, str | None, dict[int, float]]:
    """One page of ``stmt``'s textures (convert.texture_select) within ``scope`` that match
    ``query``, in its order: (rows, the next page's cursor or None, each row's distance from what
    a rank-sorted query's similar:/colour: term asked for, by texture id: {} for other sorts)."""
    check_limit(limit)
    node = parse(query.text)
    if query.sort == "rank" and (ranked := ranked_pages.ranking(s, node, scope)) is not None:
        after = decode_rank_cursor(cursor, query) if cursor else None
        rows, last, distances = ranked_pages.page(s, stmt, scope, ranked, query, limit, after)
        return rows, None if last is None else encode_rank_cursor(query, last), distances
    where, bounded = compiled(s, node, scope)
    stmt = stmt.where(scope, T.c.deleted_at.is_(None), where)
    from_ids = bounded is not None and s.get_bind().dialect.name == "sqlite"
    rows = s.execute(paged(stmt, query, limit, cursor, from_ids=from_ids)).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(query, sort_value(last, query.sort), last.id)
    return rows[:limit], next_cursor, {}


def check_limit(limit) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise VaultError("invalid_argument", f"limit must be between 1 and {MAX_PAGE}, not {limit!r}")


def count_of(stmt: Select) -> Select:
    return stmt.with_only_columns(func.count(T.c.id)).order_by(None)


def paged(stmt: Select, query: TextureQuery, limit: int, cursor: str | None, *,
          from_ids: bool = False) -> Select:
    """Order by (sort key, id) and continue after ``cursor``; fetches one row extra to see the end.
    ``from_ids``: the condition names the few texture ids that can match (query_sql.compiled), so
    SQLite must start from them and sort them, not walk the sort index past every other texture
    (the unary + hides the index from its planner; PostgreSQL plans by its statistics)."""
    check_limit(limit)
    key = sort_column(query.sort)
    if cursor:
        last_key, last_id = decode_cursor(cursor, query)
        if query.descending:
            stmt = stmt.where(or_(key < last_key, and_(key == last_key, T.c.id < last_id)))
        else:
            stmt = stmt.where(or_(key > last_key, and_(key == last_key, T.c.id > last_id)))
    ordered = literal_column(f"+{key.table.name}.{key.name}") if from_ids else key
    order = (ordered.desc(), T.c.id.desc()) if query.descending else (ordered.asc(), T.c.id.asc())
    return stmt.order_by(*order).limit(limit + 1)


def sort_value(row, sort: str):
    if sort in ("name", "rank"):
        return row.name.lower()
    if sort == "date":
        return row.updated_at
    return row.v_byte_size


def encode_cursor(query: TextureQuery, key, texture_id: int) -> str:
    if isinstance(key, datetime):
        key = utc(key).isoformat()
    payload = {"s": query.sort, "d": bool(query.descending), "k": key, "i": texture_id}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, query: TextureQuery):
    """(last key, last id) from a cursor this module made; anything else is invalid_argument.

    Cursors come back from clients, so each part is checked to be what encode_cursor wrote and to fit
    the database's columns (a 24-digit id or a NUL in a name must never reach the driver)."""
    bad = VaultError("invalid_argument", f"invalid cursor {cursor[:40]!r}: start again from the first page")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        key, texture_id = payload["k"], payload["i"]
    except (ValueError, binascii.Error, KeyError, TypeError, RecursionError):
        raise bad from None
    if payload.get("s") != query.sort or payload.get("d") != bool(query.descending):
        raise bad
    if not fits_column(texture_id):
        raise bad
    if query.sort == "date":
        try:
            when = datetime.fromisoformat(key)
            if when.tzinfo is None:
                raise ValueError("no offset")
            return utc(when), texture_id
        except (TypeError, ValueError, OverflowError):
            raise bad from None
    if query.sort == "size":
        if not fits_column(key, SIZE_BITS):
            raise bad
        return key, texture_id
    if not isinstance(key, str) or "\x00" in key:  # PostgreSQL text never holds NUL
        raise bad
    return key, texture_id


def encode_rank_cursor(query: TextureQuery, key: tuple[float, str, int]) -> str:
    """A ranked page's cursor: the last row's (score, name, id) (ranked_pages)."""
    payload = {"s": "rank", "d": bool(query.descending), "k": [key[0], key[1]], "i": key[2]}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def decode_rank_cursor(cursor: str, query: TextureQuery) -> tuple[float, str, int]:
    """(score, name, id) from a cursor encode_rank_cursor made; anything else is invalid_argument."""
    bad = VaultError("invalid_argument", f"invalid cursor {cursor[:40]!r}: start again from the first page")
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        (score, name), texture_id = payload["k"], payload["i"]
    except (ValueError, binascii.Error, KeyError, TypeError, RecursionError):
        raise bad from None
    if payload.get("s") != "rank" or payload.get("d") != bool(query.descending):
        raise bad
    if (isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score)
            or not isinstance(name, str) or not fits_column(texture_id)):
        raise bad
    return float(score), name, texture_id


def fits_column(value, bits: int = ID_BITS) -> bool:
    """A whole number (not a bool) that fits an integer column of ``bits`` (PostgreSQL refuses more)."""
    limit = 2 ** (bits - 1)
    return isinstance(value, int) and not isinstance(value, bool) and -limit <= value < limit


