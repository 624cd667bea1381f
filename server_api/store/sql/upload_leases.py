"""An account's upload slots as rows, so the per-account cap holds across every server instance.

Slot ``n`` of an account is one row keyed (user, n). Taking a slot is one conditional upsert per slot
number: insert it, or take it over when its lease has expired (a holder that crashed or hung); the
primary key makes two instances racing for the same slot get it once. A lease lasts ``seconds`` and
its holder renews it while the upload runs, so a dead instance's slots come back within ``seconds``.
Releasing deletes the row only while it still carries the holder's random mark: a lease that expired
and went to another upload is not released by the old holder.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import and_, delete, update

from server_api.store.server import UploadLease
from server_api.store.sql.convert import now
from server_api.store.sql.models import UploadLeaseRow

L = UploadLeaseRow.__table__


class UploadLeasesMixin:
    def take_upload_lease(self, user_id: int, limit: int, seconds: float) -> UploadLease | None:
        moment = now()
        holder = secrets.token_hex(16)
        expires = moment + timedelta(seconds=seconds)
        for slot in range(limit):
            with self.session() as s:
                taken = s.execute(_take(s, user_id, slot, holder, expires, moment)).first()
            if taken:
                return UploadLease(user_id=user_id, slot=slot, holder=holder)
        return None

    def renew_upload_lease(self, lease: UploadLease, seconds: float) -> bool:
        with self.session() as s:
            return bool(s.execute(update(L).where(_mine(lease)).values(
                expires_at=now() + timedelta(seconds=seconds))).rowcount)

    def release_upload_lease(self, lease: UploadLease) -> None:
        with self.session() as s:
            s.execute(delete(L).where(_mine(lease)))


def _mine(lease: UploadLease):
    return and_(L.c.user_id == lease.user_id, L.c.slot == lease.slot, L.c.holder == lease.holder)


def _take(session, user_id: int, slot: int, holder: str, expires, moment):
    """INSERT the slot, or take it over only when its lease has run out (one statement, atomic). The
    driver's rowcount said 1 on PostgreSQL even when the WHERE kept the old row: RETURNING tells."""
    from sqlalchemy.dialects import postgresql, sqlite  # see throttle.py: PostgreSQL's dialect is costly

    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(L).values(user_id=user_id, slot=slot, holder=holder, expires_at=expires)
    return insert.on_conflict_do_update(
        index_elements=[L.c.user_id, L.c.slot],
        set_={"holder": insert.excluded.holder, "expires_at": insert.excluded.expires_at},
        where=L.c.expires_at < moment).returning(L.c.slot)
