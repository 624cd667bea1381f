"""Pages sorted by rank: nearest first to the query's similar:ID or colour: term (issue 14).

The term's matches come ranked from similar_sql (the hash bands, or the colour cells: a few thousand
bytes at most, in one indexed pass); the rest of the query and the scope are checked on them in
growing chunks of bytes, best first, until the page is full, so a page reads about a page of rows.
The order is (score, name, id); the cursor (queries.py) carries the last row's, so the next page
starts where this one stopped even when many textures share a score (copies of the same bytes do).
A query without such a term (as one of its top-level AND terms) is in name order: queries.page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select

from server_api.store.entities import TextureQuery
from server_api.store.query import And, Field, Node
from server_api.store.sql import similar_sql
from server_api.store.sql.convert import T
from server_api.store.sql.query_sql import condition

FIRST_CHUNK = 256  # bytes checked in the first round; each round doubles it, up to LAST_CHUNK
LAST_CHUNK = 4096  # each sha256 is bound twice (textures_with): well under SQLite's 32,766 parameters
RANKED = ("similar", "colour")


@dataclass(frozen=True)
class Ranking:
    order: list[tuple[str, float, float]]  # (sha256, score, distance shown), best first
    rest: Node | None  # the query without its ranking term
    but: int | None  # similar:ID never answers the texture it names


def ranking(s, node: Node | None, scope: ColumnElement) -> Ranking | None:
    """The ranked matches of ``node``'s first top-level similar:/colour: term; None when it has none."""
    terms = [node] if isinstance(node, Field) else list(node.items) if isinstance(node, And) else []
    for n, term in enumerate(terms):
        if isinstance(term, Field) and term.name in RANKED:
            others = terms[:n] + terms[n + 1:]
            rest = None if not others else others[0] if len(others) == 1 else And(tuple(others))
            if term.name == "colour":
                l, a, b, radius = term.values[0]  # noqa: E741
                order = [(sha, score, round(delta_e, 2))
                         for sha, score, delta_e, _ in similar_sql.colour_scored(s, (l, a, b), radius)]
                return Ranking(order, rest, None)
            texture_id, radius = term.values[0]
            found = similar_sql.reference(s, texture_id, scope)
            if found is None:
                return Ranking([], rest, texture_id)
            near = similar_sql.near_hashes(s, found[1], radius)
            order = [(sha, bits + similar_sql.COLOUR_WEIGHT * colour, float(bits))
                     for sha, (bits, colour) in similar_sql.ranked(s, found[0], near)]
            return Ranking(order, rest, texture_id)
    return None


def page(s, stmt: Select, scope: ColumnElement, ranked: Ranking, query: TextureQuery, limit: int,
         after: tuple[float, str, int] | None) -> tuple[list, tuple | None, dict[int, float]]:
    """(rows, the last row's key when there is more, distance by texture id) of one page of ``stmt``
    (texture_select) in rank order, after the key ``after`` (queries.py keeps the cursor): ascending
    is nearest first."""
    order = ranked.order[::-1] if query.descending else ranked.order
    if after is not None:  # skip the bytes wholly before the cursor's score
        order = [o for o in order if (o[1] <= after[0] if query.descending else o[1] >= after[0])]
    stmt = stmt.where(scope, T.c.deleted_at.is_(None), condition(s, ranked.rest, scope))
    if ranked.but is not None:
        stmt = stmt.where(T.c.id != ranked.but)
    hits: list[tuple[tuple, object, float]] = []
    start, size = 0, FIRST_CHUNK
    while start < len(order) and len(hits) <= limit:
        end = min(len(order), start + size)
        while end < len(order) and order[end][1] == order[end - 1][1]:
            end += 1  # never split a score between rounds: rows of one score sort by name
        part = {sha: (score, shown) for sha, score, shown in order[start:end]}
        found = []
        for row in s.execute(stmt.where(similar_sql.textures_with(list(part)))).all():
            score, shown = part[row.v_blob_sha256]
            key = (score, row.name.lower(), row.id)
            if after is None or (key < after if query.descending else key > after):
                found.append((key, row, shown))
        hits += sorted(found, key=lambda h: h[0], reverse=query.descending)
        start, size = end, min(size * 2, LAST_CHUNK)
    more = len(hits) > limit
    hits = hits[:limit]
    last = hits[-1][0] if more else None
    return [row for _, row, _ in hits], last, {row.id: shown for _, row, shown in hits}
