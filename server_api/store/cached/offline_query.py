"""The query language over the cached copy, for when the server cannot be asked.

The same AST the SQL face compiles (store/query), evaluated on the kept Texture entities with the same
meaning as store/sql/query_sql.py; sort and keyset paging as the server does them. Only a collection's
kept rows are read, so this stays a few milliseconds for ten thousand textures. ``tag:`` and ``role:``
need the server's tag and material tables: offline they are refused, naming the field.
"""

from __future__ import annotations

import base64
import json
import operator
from datetime import timedelta

from server_api.core.errors import VaultError
from server_api.store.entities import Page, Texture, TextureQuery
from server_api.store.query import And, Field, Node, Not, Or, Word, parse

_OPS = {"=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
SERVER_ONLY = ("tag", "role")


def matches(node: Node | None, t: Texture) -> bool:
    if node is None:
        return True
    if isinstance(node, Word):
        return node.text.lower() in t.name.lower()
    if isinstance(node, Not):
        return not matches(node.item, t)
    if isinstance(node, And):
        return all(matches(item, t) for item in node.items)
    if isinstance(node, Or):
        return any(matches(item, t) for item in node.items)
    return _field(node, t)


def _field(node: Field, t: Texture) -> bool:
    name, values, cmp, v = node.name, node.values, _OPS[node.op], t.current
    if name == "format":
        return v.format in values
    if name == "depth":
        return v.bit_depth in values
    if name == "alpha":
        return v.has_alpha == values[0]
    if name in ("width", "height"):
        return any(cmp(v.width if name == "width" else v.height, x) for x in values)
    if name == "size":
        return any(cmp(v.width, x) and cmp(v.height, x) for x in values)
    if name == "added":
        day = values[0]
        if node.op == "=":
            return day <= t.created_at < day + timedelta(days=1)
        if node.op in (">", "<="):
            day = day + timedelta(days=1)
            return t.created_at >= day if node.op == ">" else t.created_at < day
        return cmp(t.created_at, day)
    if name == "by":
        return v.created_by.lower() in values
    raise _server_only(name)


def _server_only(name: str) -> VaultError:
    return VaultError("unavailable", f"offline: the {name}: filter needs the server; name, format, size, "
                                     "width, height, depth, alpha, added and by work offline")


def check_offline(node: Node | None) -> None:
    """Refuse a query naming a server-only field before any row is read."""
    if node is None or isinstance(node, Word):
        return
    if isinstance(node, Not):
        check_offline(node.item)
    elif isinstance(node, And | Or):
        for item in node.items:
            check_offline(item)
    elif node.name in SERVER_ONLY:
        raise _server_only(node.name)


def sort_key(query: TextureQuery):
    if query.sort == "date":
        return lambda t: (t.updated_at.timestamp(), t.id)
    if query.sort == "size":
        return lambda t: (t.current.byte_size, t.id)
    return lambda t: (t.name.lower(), t.id)


def page_of(textures: list[Texture], query: TextureQuery, limit: int, cursor: str | None) -> Page[Texture]:
    """Filter, sort and page the kept textures; the cursor is the count already handed out."""
    node = parse(query.text)
    check_offline(node)
    start = decode_cursor(cursor).get("offline", 0)
    found = sorted((t for t in textures if matches(node, t)), key=sort_key(query), reverse=query.descending)
    items = tuple(found[start:start + limit])
    more = start + limit < len(found)
    return Page(items=items, next=encode_cursor({"offline": start + limit}) if more else None)


def count_of(textures: list[Texture], query: TextureQuery) -> int:
    node = parse(query.text)
    check_offline(node)
    return sum(1 for t in textures if matches(node, t))


def encode_cursor(state: dict) -> str:
    """An offline page's cursor: "c" + base64 JSON of {"offline": rows handed out} or {"after":
    [name_key, id]} (the plain listing's keyset). A server's cursors never start with "c{"."""
    return "c" + base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


def decode_cursor(cursor: str | None) -> dict:
    if cursor is None:
        return {}
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor[1:].encode()))
        start, after = state.get("offline", 0), state.get("after", ["", -1])
        if (cursor[0] != "c" or not isinstance(start, int) or start < 0 or not isinstance(after, list)
                or len(after) != 2 or not isinstance(after[0], str) or not isinstance(after[1], int)):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise VaultError("invalid_argument", "offline: this page cursor was made by the server; "
                                             "list from the first page again") from None
    return state


def is_offline_cursor(cursor: str | None) -> bool:
    try:
        decode_cursor(cursor)
    except VaultError:
        return False
    return cursor is not None
