"""Notifications on the SQL face: the audit events (the change feed) that concern one user, and
their read marker in the database. The rule is review_api.py's."""

from __future__ import annotations

from sqlalchemy import and_, func, insert, select, true, update

from server_api.core.errors import VaultError
from server_api.store.entities import User
from server_api.store.limits import MAX_PAGE
from server_api.store.review_entities import MAX_UNREAD, NOTIFYING_EVENTS, Notification, Notifications
from server_api.store.sql.convert import E, U, V, utc
from server_api.store.sql.models import NotificationMarkRow
from server_api.store.sql.tag_ops import readable

NM = NotificationMarkRow.__table__
MANY_VERSIONS = 200  # past this many versions of one's own, walk the feed (see _concerning)


class NotificationsMixin:
    def notifications(self, limit: int = 50) -> Notifications:
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
            raise VaultError("invalid_argument",
                             f"limit must be a whole number from 1 to {MAX_PAGE}, not {limit!r}")
        me = self._me()
        with self._read() as s:
            return _notifications(s, me, limit)

    def mark_notifications_read(self, up_to_cursor: int) -> Notifications:
        if isinstance(up_to_cursor, bool) or not isinstance(up_to_cursor, int) or up_to_cursor < 0:
            raise VaultError("invalid_argument",
                             f"the cursor to mark read up to must be a number >= 0, not {up_to_cursor!r}")
        me = self._me()
        with self.session() as s:
            newest = s.execute(select(func.max(E.c.id))).scalar() or 0
            marker = min(up_to_cursor, newest)  # never past the feed: later events stay unread
            current = _marker(s, me)
            if marker > current:
                if s.execute(select(NM.c.user_id).where(NM.c.user_id == me.id)).first() is None:
                    s.execute(insert(NM).values(user_id=me.id, read_up_to=marker))
                else:
                    s.execute(update(NM).where(NM.c.user_id == me.id, NM.c.read_up_to < marker)
                              .values(read_up_to=marker))
        with self._read() as s:
            return _notifications(s, me, 50)


def _concerning(me: User, walk_feed: bool):
    """The condition on audit events that makes one a notification for ``me``. The plan matters
    (measured, bench/review_bench.py): for someone with a few textures, look up their events by
    texture; for someone with many, walk the feed newest first (``+ 0`` keeps an index out of it)."""
    made_by_me = select(V.c.texture_id).where(V.c.created_by_id == me.id)
    texture = E.c.texture_id + 0 if walk_feed else E.c.texture_id
    return and_(
        E.c.action.in_(NOTIFYING_EVENTS),
        E.c.actor_id != me.id,
        texture.in_(made_by_me),
        (E.c.collection_id + 0).in_(readable(me)) if not me.is_admin else true(),
    )


def _walks_feed(s, me: User) -> bool:
    """Whether ``me`` made versions of so many textures that walking the feed is quicker."""
    mine = select(V.c.id).where(V.c.created_by_id == me.id).limit(MANY_VERSIONS + 1).subquery()
    return s.execute(select(func.count()).select_from(mine)).scalar() > MANY_VERSIONS


def _marker(s, me: User) -> int:
    return s.execute(select(NM.c.read_up_to).where(NM.c.user_id == me.id)).scalar() or 0


def _notifications(s, me: User, limit: int) -> Notifications:
    marker, walk_feed = _marker(s, me), _walks_feed(s, me)
    concerning = _concerning(me, walk_feed)
    rows = s.execute(
        select(E.c.id, E.c.action, E.c.collection_id, E.c.texture_id, E.c.version_id, E.c.detail,
               E.c.created_at, U.c.username.label("actor"))
        .join(U, U.c.id == E.c.actor_id).where(concerning).order_by(E.c.id.desc()).limit(limit)
    )
    items = tuple(Notification(
        cursor=r.id, action=r.action, collection_id=r.collection_id, texture_id=r.texture_id,
        version_id=r.version_id, actor=r.actor, detail=r.detail or "", created_at=utc(r.created_at),
        unread=r.id > marker) for r in rows)
    unread_rows = select(E.c.id).where(concerning, E.c.id > marker).limit(MAX_UNREAD).subquery()
    unread = s.execute(select(func.count()).select_from(unread_rows)).scalar()
    return Notifications(items=items, unread=unread, read_up_to=marker)
