"""Server sign-in: API tokens and failed-login throttling (passwords themselves: server_api.store.passwords).

A token is 256 random bits shown to the client once; only its sha256 is stored, so a copied
database holds no usable tokens. Tokens expire, logout revokes one, and a disabled user's tokens
stop working at once (checked on every request, whatever the store did to the rows).

Throttling is per account: after MAX_FAILURES wrong passwords the account is locked for an interval
that doubles with every further failure. Unknown usernames get the same answer, the same password
hashing time, and the same lockout (kept in memory), so neither the message, the timing nor a 429
tells an attacker which usernames exist.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from server_api.core.errors import VaultError
from server_api.store.entities import User
from server_api.store.passwords import verify_password
from server_api.store.sql.convert import now, to_user, utc
from server_api.store.sql.models import ApiTokenRow, UserRow

TOKEN_BYTES = 32  # 256 bits
TOKEN_LIFETIME = timedelta(days=30)
MAX_FAILURES = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(hours=1)
LAST_USED_GRANULARITY = timedelta(minutes=5)  # avoid a database write on every request

U = UserRow.__table__
A = ApiTokenRow.__table__
WRONG_LOGIN = "wrong username or password"


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the secret; never stored
    user: User
    expires_at: datetime


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def lock_interval(failures: int) -> timedelta | None:
    """How long an account stays locked after ``failures`` consecutive wrong passwords."""
    if failures < MAX_FAILURES:
        return None
    return min(FIRST_LOCK * (2 ** (failures - MAX_FAILURES)), LONGEST_LOCK)


def login(store, username: str, password: str) -> IssuedToken:
    """A new token for a right password; VaultError unauthenticated / throttled otherwise."""
    if not isinstance(username, str) or not isinstance(password, str):
        raise VaultError("invalid_argument", "username and password must be strings")
    with store.engine.connect() as conn:
        row = conn.execute(
            select(U.c.id, U.c.username, U.c.display_name, U.c.is_admin, U.c.is_active,
                   U.c.created_at, U.c.password_hash, U.c.failed_logins, U.c.locked_until)
            .where(U.c.username == username)
        ).first()
    if row is None:
        return _unknown_user_attempt(username, password)
    _refuse_if_locked(utc(row.locked_until))
    if not verify_password(row.password_hash, password):
        _record_failure(store, row.id)
        raise VaultError("unauthenticated", WRONG_LOGIN)
    if not row.is_active:  # the same answer: a disabled account reveals nothing either
        raise VaultError("unauthenticated", WRONG_LOGIN)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    issued_at = now()
    with store.session() as s:
        s.execute(update(U).where(U.c.id == row.id).values(failed_logins=0, locked_until=None))
        s.add(ApiTokenRow(user_id=row.id, token_hash=hash_token(token), created_at=issued_at,
                          expires_at=issued_at + TOKEN_LIFETIME))
    return IssuedToken(token=token, user=to_user(row), expires_at=issued_at + TOKEN_LIFETIME)


def user_for_token(store, token: str) -> User:
    """The active user owning a live token; VaultError("unauthenticated") for anything else."""
    moment = now()
    with store.engine.connect() as conn:
        row = conn.execute(
            select(U.c.id, U.c.username, U.c.display_name, U.c.is_admin, U.c.is_active,
                   U.c.created_at, A.c.id.label("token_id"), A.c.expires_at, A.c.revoked_at,
                   A.c.last_used_at)
            .join(A, A.c.user_id == U.c.id)
            .where(A.c.token_hash == hash_token(token))
        ).first()
    if row is None or row.revoked_at is not None or not row.is_active:
        raise VaultError("unauthenticated", "not signed in: the token is unknown, revoked or disabled")
    if utc(row.expires_at) <= moment:
        raise VaultError("unauthenticated", "the sign-in has expired; log in again")
    last_used = utc(row.last_used_at)
    if last_used is None or moment - last_used > LAST_USED_GRANULARITY:
        with store.session() as s:
            s.execute(update(A).where(A.c.id == row.token_id).values(last_used_at=moment))
    return to_user(row)


def revoke(store, token: str) -> None:
    """Logout: the token stops working. Revoking an unknown or revoked token changes nothing."""
    with store.session() as s:
        s.execute(
            update(A).where(A.c.token_hash == hash_token(token), A.c.revoked_at.is_(None))
            .values(revoked_at=now())
        )


def _refuse_if_locked(locked_until: datetime | None) -> None:
    if locked_until is not None and locked_until > now():
        seconds = int((locked_until - now()).total_seconds()) + 1
        raise VaultError("throttled", f"too many failed logins; try again in {seconds} s")


def _record_failure(store, user_id: int) -> None:
    # One atomic increment, so concurrent guesses cannot slip past the count.
    with store.session() as s:
        failures = s.execute(
            update(U).where(U.c.id == user_id).values(failed_logins=U.c.failed_logins + 1)
            .returning(U.c.failed_logins)
        ).scalar_one()
        interval = lock_interval(failures)
        if interval is not None:
            s.execute(update(U).where(U.c.id == user_id).values(locked_until=now() + interval))


# Unknown usernames: failures kept in memory (bounded), so they lock exactly like real accounts.
_GHOSTS: OrderedDict[str, tuple[int, datetime | None]] = OrderedDict()
_GHOSTS_LOCK = threading.Lock()
_MAX_GHOSTS = 10_000


def _unknown_user_attempt(username: str, password: str) -> IssuedToken:
    with _GHOSTS_LOCK:
        failures, locked_until = _GHOSTS.get(username, (0, None))
    _refuse_if_locked(locked_until)
    verify_password(None, password)  # same hashing time as a real account
    failures += 1
    interval = lock_interval(failures)
    with _GHOSTS_LOCK:
        _GHOSTS[username] = (failures, now() + interval if interval else None)
        _GHOSTS.move_to_end(username)
        while len(_GHOSTS) > _MAX_GHOSTS:
            _GHOSTS.popitem(last=False)
    raise VaultError("unauthenticated", WRONG_LOGIN)
