"""Sharing (grants at read/write/admin; the owner is fixed) and the audit trail."""

from __future__ import annotations

import base64
import binascii

from sqlalchemy import delete, insert, select, update

from server_api.core.errors import VaultError
from server_api.store.entities import GRANTABLE_LEVELS, AuditEvent, Grant, Page
from server_api.store.sql.access import C, P, collection_access, record_event
from server_api.store.sql.convert import E, U, now, to_event, to_grant, utc
from server_api.store.sql.queries import fits_column
from server_api.store.sql.users import find_user, no_such_user


def _grants_select():
    grantee, granter = U.alias("grantee"), U.alias("granter")
    return select(
        P.c.collection_id, grantee.c.username, P.c.level, granter.c.username.label("granted_by"),
        P.c.granted_at,
    ).select_from(
        P.join(grantee, grantee.c.id == P.c.user_id).outerjoin(granter, granter.c.id == P.c.granted_by_id)
    ), grantee


class SharingMixin:
    def list_grants(self, collection_id: int) -> list[Grant]:
        me = self._me()
        stmt, grantee = _grants_select()
        with self._read() as s:
            collection_access(s, me, collection_id)
            owner = s.execute(
                select(U.c.username, C.c.created_at)
                .join(C, C.c.owner_id == U.c.id).where(C.c.id == collection_id)
            ).one()
            rows = s.execute(stmt.where(P.c.collection_id == collection_id).order_by(grantee.c.username))
            grants = [to_grant(r) for r in rows]
        first = Grant(collection_id, owner.username, "owner", None, utc(owner.created_at))
        return [first, *grants]

    def set_grant(self, collection_id: int, username: str, level: str) -> Grant:
        me = self._me()
        if level not in GRANTABLE_LEVELS:
            raise VaultError("invalid_argument", f"level must be one of {', '.join(GRANTABLE_LEVELS)}, "
                             f"not {level!r}")
        with self.session() as s:
            access = collection_access(s, me, collection_id, "admin")
            user = find_user(s, username)
            if user.id == access.owner_id:
                raise VaultError("conflict", f"{username} owns {access.collection_name!r}; the owner's "
                                 "access cannot be changed")
            if not user.is_active:
                if not me.is_admin:  # only server admins may learn that a disabled account exists
                    raise no_such_user(username)
                raise VaultError("invalid_argument", f"the account {username!r} is disabled")
            old = s.execute(select(P.c.level).where(
                P.c.collection_id == collection_id, P.c.user_id == user.id)).scalar()
            when = now()
            if old is None:
                s.execute(insert(P).values(collection_id=collection_id, user_id=user.id, level=level,
                                           granted_by_id=me.id, granted_at=when))
                detail = f"granted {level} to {username}"
            else:
                s.execute(update(P).where(P.c.collection_id == collection_id, P.c.user_id == user.id)
                          .values(level=level, granted_by_id=me.id, granted_at=when))
                detail = f"changed {username} from {old} to {level}"
            if old != level:
                record_event(s, me, "share", detail, collection_id)
            return Grant(collection_id, username, level, me.username, when)

    def revoke_grant(self, collection_id: int, username: str) -> None:
        me = self._me()
        with self.session() as s:
            access = collection_access(s, me, collection_id, "admin")
            no_access = VaultError("not_found", f"{username} has no access to {access.collection_name!r}")
            user_id = s.execute(select(U.c.id).where(U.c.username == username)).scalar()
            if user_id is not None and user_id == access.owner_id:
                raise VaultError(
                    "conflict", f"{username} owns {access.collection_name!r} and cannot be revoked"
                )
            gone = s.execute(delete(P).where(P.c.collection_id == collection_id, P.c.user_id == user_id))
            if user_id is None or gone.rowcount == 0:  # a missing account answers like one without access
                raise no_access
            record_event(s, me, "revoke", f"revoked {username}", collection_id)

    def list_events(
        self, collection_id: int, *, limit: int = 100, cursor: str | None = None
    ) -> Page[AuditEvent]:
        me = self._me()
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise VaultError("invalid_argument", f"limit must be between 1 and 1000, not {limit!r}")
        stmt = (
            select(E.c.id, E.c.collection_id, E.c.texture_id, E.c.version_id, U.c.username.label("actor"),
                   E.c.action, E.c.detail, E.c.created_at)
            .join(U, U.c.id == E.c.actor_id)
            .where(E.c.collection_id == collection_id)
        )
        if cursor:
            stmt = stmt.where(E.c.id < _decode_event_cursor(cursor))
        with self._read() as s:
            collection_access(s, me, collection_id)
            rows = s.execute(stmt.order_by(E.c.id.desc()).limit(limit + 1)).all()
        items = tuple(to_event(r) for r in rows[:limit])
        next_cursor = _encode_event_cursor(items[-1].id) if len(rows) > limit else None
        return Page(items=items, next=next_cursor)


def _encode_event_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"event:{event_id}".encode()).decode().rstrip("=")


def _decode_event_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind == "event" and number.isascii() and number.isdigit() and fits_column(int(number)):
            return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise VaultError("invalid_argument", f"invalid cursor {cursor[:40]!r}: start again from the first page")
