"""Failed sign-ins, counted in the database per normalised username (real or not).

An attempt is counted BEFORE its password is checked, in one write transaction that also reads the
lock (row lock on PostgreSQL, the write lock on SQLite): of 40 parallel guesses exactly 5 get a
check, and the 5th locks the name for the rest. Unknown usernames get rows of their own, so they lock
exactly like real accounts and a burst tells nobody which names exist. Every worker process and
every server instance over the same database shares the count.

Locks: 30 s after the 5th failure, doubling with every further one, at most an hour. A right password
clears the count; a count untouched for a day is forgotten (and its row deleted).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from server_api.core.errors import VaultError
from server_api.store.sql.convert import now, utc
from server_api.store.sql.models import LoginThrottleRow

MAX_FAILURES = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(hours=1)
FORGET_AFTER = timedelta(days=1)
MAX_KEY = 200

L = LoginThrottleRow.__table__


def name_key(username: str) -> str:
    """One key for every spelling of a name: 'Bob', 'bob' and 'ｂｏｂ' share a count."""
    return unicodedata.normalize("NFKC", username).casefold().strip()[:MAX_KEY]


def lock_interval(failures: int) -> timedelta | None:
    """How long a name stays locked after ``failures`` consecutive failed attempts."""
    if failures < MAX_FAILURES:
        return None
    return min(FIRST_LOCK * (2 ** (failures - MAX_FAILURES)), LONGEST_LOCK)


def count_attempt(store, key: str) -> None:
    """Count one attempt on ``key`` before its check; "throttled" (nothing counted) while locked."""
    moment = now()
    with store.session() as s:
        if s.execute(_insert_if_missing(s, key, moment)).rowcount:
            s.execute(delete(L).where(L.c.last_attempt_at < moment - FORGET_AFTER))  # a new name: tidy up
        row = s.execute(select(L.c.failures, L.c.locked_until, L.c.last_attempt_at)
                        .where(L.c.name_key == key).with_for_update()).one()
        refuse_if_locked(utc(row.locked_until), moment)
        fresh = moment - utc(row.last_attempt_at) < FORGET_AFTER
        failures = (row.failures if fresh else 0) + 1
        interval = lock_interval(failures)
        s.execute(update(L).where(L.c.name_key == key).values(
            failures=failures, locked_until=moment + interval if interval else None,
            last_attempt_at=moment))


def clear(session, key: str) -> None:
    """A right password (or an admin's reset): the count starts again."""
    session.execute(delete(L).where(L.c.name_key == key))


def refuse_if_locked(locked_until: datetime | None, moment: datetime) -> None:
    if locked_until is not None and locked_until > moment:
        seconds = int((locked_until - moment).total_seconds()) + 1
        raise VaultError("throttled", f"too many failed logins; try again in {seconds} s",
                         retry_after=seconds)


def _insert_if_missing(session, key: str, moment: datetime):
    # Imported here: PostgreSQL's dialect pulls in asyncio and costs every `vault` command ~40 ms.
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    return (dialect.insert(L).values(name_key=key, failures=0, locked_until=None, last_attempt_at=moment)
            .on_conflict_do_nothing(index_elements=[L.c.name_key]))
