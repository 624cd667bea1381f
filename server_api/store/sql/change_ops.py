"""The change feed on the SQL face (store/change_api.py): audit events after a cursor, filtered
to the collections the caller can read at the moment of asking."""

from __future__ import annotations

from sqlalchemy import func, or_, select, union

from server_api.store.change_api import check_limit, check_since
from server_api.store.change_kinds import kind_of
from server_api.store.entities import Change, ChangePage, User
from server_api.store.sql.access import C, P
from server_api.store.sql.convert import E, U, utc
from server_api.store.sql.queries import ID_BITS

MAX_ID = 2 ** (ID_BITS - 1) - 1  # a cursor past the id column is just "after everything"


class ChangesMixin:
    def changes(self, since: int = 0, limit: int = 500) -> ChangePage:
        check_since(since)
        check_limit(limit)
        me = self._me()
        with self._read() as s:
            # Ids are final up to the newest one a snapshot sees (change_log.py). Asked FIRST (on
            # PostgreSQL each statement has its own snapshot), every id up to it is in the rows below,
            # so a last page may move the cursor past changes the caller cannot read: the next call
            # does not scan them again.
            newest = s.execute(select(func.max(E.c.id))).scalar() or 0
            rows = s.execute(
                change_select(me).where(E.c.id > min(since, MAX_ID)).order_by(E.c.id).limit(limit + 1)
            ).all()
        items = tuple(to_change(r) for r in rows[:limit])
        more = len(rows) > limit
        cursor = items[-1].cursor if more else max(since, newest, items[-1].cursor if items else 0)
        return ChangePage(items=items, cursor=cursor, more=more)

    def latest_cursor(self) -> int:
        # No actor needed: a number, not a change (the server's FeedWatch asks the root store).
        with self._read() as s:
            return s.execute(select(func.max(E.c.id))).scalar() or 0


def change_select(me: User | None):
    """Events with their actor's name; only those ``me`` may read now (None: every event, for
    server-side readers such as webhook delivery)."""
    stmt = select(
        E.c.id, E.c.action, E.c.collection_id, E.c.texture_id, E.c.version_id, E.c.material_id,
        U.c.username.label("actor"), E.c.created_at, E.c.detail,
    ).join(U, U.c.id == E.c.actor_id)
    if me is not None and not me.is_admin:
        readable = union(
            select(C.c.id).where(C.c.owner_id == me.id),
            select(P.c.collection_id).where(P.c.user_id == me.id),
        )
        stmt = stmt.where(or_(E.c.collection_id.is_(None), E.c.collection_id.in_(readable)))
    return stmt


def to_change(row) -> Change:
    return Change(
        cursor=row.id, kind=kind_of(row.action), collection_id=row.collection_id,
        texture_id=row.texture_id, version_id=row.version_id, material_id=row.material_id,
        actor=row.actor, at=utc(row.created_at), detail={"action": row.action, "text": row.detail or ""},
    )
