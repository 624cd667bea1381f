"""The query AST (store/query) -> one SQLAlchemy condition on textures joined to their current
version (convert.texture_select). The only place a query becomes SQL."""

from __future__ import annotations

import operator
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select, true
from sqlalchemy.engine import Connection

from server_api.store.query import And, Field, Node, Not, Or, Word
from server_api.store.sql import review_sql, similar_sql
from server_api.store.sql.convert import T, U, V
from server_api.store.sql.models import MaterialMapRow, TagAliasRow, TagRow, TextureTagRow

MM = MaterialMapRow.__table__
TAG, ALIAS, TT = TagRow.__table__, TagAliasRow.__table__, TextureTagRow.__table__
_QA_SQL = {"errors": lambda: V.c.qa_errors > 0, "warnings": lambda: V.c.qa_warnings > 0,
           "none": lambda: and_(V.c.qa_errors == 0, V.c.qa_warnings == 0)}
_OPS = {"=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


DRIVE_CAP = 5_000  # colour: up to this many textures are the page's starting set (see compiled)


def condition(conn: Connection, node: Node | None, scope: ColumnElement | None = None) -> ColumnElement:
    """The WHERE condition for ``node`` (None: everything). Tag names are resolved here, once,
    to the tag's id and its descendants' (the vocabulary is small; the texture rows are not).
    ``scope`` (the searched collections) also bounds the texture that similar:ID may name."""
    return compiled(conn, node, scope)[0]


def compiled(conn: Connection, node: Node | None,
             scope: ColumnElement | None = None) -> tuple[ColumnElement, list[int] | None]:
    """(condition, bounded_by): ``bounded_by`` is the few texture ids a top-level colour: term
    allows (None when no such term, or its colour is common). A page then starts from them and
    sorts them (queries.paged), instead of walking the sort index past every texture without it:
    a rare colour in a big collection walked it all (891 ms at 100k)."""
    if node is None:
        return true(), None
    compiler = _Compiler(conn, true() if scope is None else scope)
    return compiler.compile(node, top=True), compiler.bounded_by


class _Compiler:
    def __init__(self, conn: Connection, scope: ColumnElement):
        self.conn, self.scope = conn, scope
        self._tree: dict[int | None, list[int]] | None = None
        self.bounded_by: list[int] | None = None

    def compile(self, node: Node, top: bool = False) -> ColumnElement:
        if isinstance(node, Word):
            return T.c.name_key.like("%" + escape_like(node.text.lower()) + "%", escape="\\")
        if isinstance(node, Not):
            return not_(self.compile(node.item))
        if isinstance(node, And):
            return and_(*(self.compile(item, top) for item in node.items))
        if isinstance(node, Or):
            return or_(*(self.compile(item) for item in node.items))
        if node.name == "colour":
            return self.colour(*node.values[0], top=top)
        return self.field(node)

    def colour(self, l: float, a: float, b: float, radius: float, *, top: bool) -> ColumnElement:  # noqa: E741
        """The textures with the colour: from their ids when few (one indexed pass over the colour
        cells, once), else the colour subquery checked against each texture the page walks."""
        ids = similar_sql.colour_texture_ids(self.conn, l, a, b, radius, DRIVE_CAP)
        if ids is None:
            return similar_sql.textures_with(similar_sql.colour_shas(l, a, b, radius))
        if not ids:
            return false()
        if top and (self.bounded_by is None or len(ids) < len(self.bounded_by)):
            self.bounded_by = ids
        return similar_sql.one_of(T.c.id, ids)

    def field(self, node: Field) -> ColumnElement:
        name, values, cmp = node.name, list(node.values), _OPS[node.op]
        if name == "format":
            return V.c.format.in_(values)
        if name == "depth":
            return V.c.bit_depth.in_(values)
        if name == "alpha":
            return V.c.has_alpha == values[0]
        if name in ("width", "height"):
            column = V.c.width if name == "width" else V.c.height
            return or_(*(cmp(column, v) for v in values))
        if name == "size":  # every side: size:>=2048 is 2048 or more both ways
            return or_(*(and_(cmp(V.c.width, v), cmp(V.c.height, v)) for v in values))
        if name == "added":
            day = values[0]
            if node.op == "=":  # that whole day
                return and_(T.c.created_at >= day, T.c.created_at < day + timedelta(days=1))
            if node.op in (">", "<="):  # after the day means from the next one on
                day = day + timedelta(days=1)
                return T.c.created_at >= day if node.op == ">" else T.c.created_at < day
            return cmp(T.c.created_at, day)
        if name == "by":
            return V.c.created_by_id.in_(select(U.c.id).where(func.lower(U.c.username).in_(values)))
        if name == "review":
            return or_(*(review_sql.status_is(v) for v in values))
        if name == "qa":  # the counts stored with the findings (store/sql/qa_ops.py)
            return or_(*(_QA_SQL[v]() for v in values))
        if name == "role":
            return exists().where(MM.c.texture_id == T.c.id, MM.c.role.in_(values))
        if name == "similar":  # the hashes near the named texture's, found once (similar_sql)
            texture_id, radius = values[0]
            found = similar_sql.reference(self.conn, texture_id, self.scope)
            near = [] if found is None else sorted(similar_sql.near_hashes(self.conn, found[1], radius))
            return and_(similar_sql.textures_with(near), T.c.id != texture_id) if near else false()
        if name == "tag":
            ids = sorted({i for v in values for i in self.tag_ids(v)})
            if not ids:
                return false()
            return exists().where(TT.c.texture_id == T.c.id, TT.c.tag_id.in_(ids))
        raise AssertionError(f"query field {name!r} has no SQL")  # fields.py and this file disagree

    def tag_ids(self, name_key: str) -> list[int]:
        """The tag called (or aliased) ``name_key`` and every tag below it."""
        found = self.conn.execute(select(TAG.c.id).where(TAG.c.name_key == name_key)).scalar()
        if found is None:
            found = self.conn.execute(select(ALIAS.c.tag_id).where(ALIAS.c.name_key == name_key)).scalar()
        if found is None:
            return []
        if self._tree is None:
            self._tree = {}
            for tag_id, parent_id in self.conn.execute(select(TAG.c.id, TAG.c.parent_id)):
                self._tree.setdefault(parent_id, []).append(tag_id)
        out, todo = [], [found]
        while todo:  # parents cannot loop (set_tag_parent refuses it); the seen check is a guard
            tag_id = todo.pop()
            if tag_id not in out:
                out.append(tag_id)
                todo.extend(self._tree.get(tag_id, ()))
        return out


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
