"""Writing audit events so that their ids are in commit order: the change feed's cursor.

On PostgreSQL an id comes from a sequence when the row is inserted, long before its transaction
commits, so a reader could see event 11 (committed) before event 10 (still in flight) and, moving
its cursor to 11, never see 10. So every transaction queues its events and writes them all at the
very end, in ``before_commit``, after taking one transaction-scoped advisory lock: ids are drawn
and committed one transaction at a time, and the lock is released only once the commit is visible.
The lock is held for one INSERT and the commit (no other row locks are taken under it, so it cannot
deadlock), and only by transactions that write events. SQLite already has one writer at a time
(write transactions begin IMMEDIATE), so its ids are in commit order without a lock.
"""

from __future__ import annotations

from sqlalchemy import event, insert, text
from sqlalchemy.orm import Session

from server_api.store.sql.convert import E

EVENT_LOCK_KEY = 7_316_872  # any fixed number: "Texture Vault audit events" (schema.py uses ..871)
_PENDING = "vault_pending_events"


def queue_events(s: Session, rows: list[dict]) -> None:
    """Write these audit rows when ``s`` commits (none if it rolls back)."""
    s.info.setdefault(_PENDING, []).extend(rows)


# Once for every Session (cheaper than a listener per session): a session with nothing queued
# costs one dict lookup at commit.
@event.listens_for(Session, "before_commit")
def _write_pending(s: Session) -> None:
    rows = s.info.get(_PENDING)
    if not rows:
        return
    s.info[_PENDING] = []
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": EVENT_LOCK_KEY})
    s.execute(insert(E), rows)


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(s: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended (rolled back), not a savepoint in it
        s.info.pop(_PENDING, None)
