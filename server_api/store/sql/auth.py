"""Server sign-in on the SQL face: the ``Accounts`` interface (server_api.store.accounts).

A token is 256 random bits shown to the client once; only its sha256 is stored, so a copied
database holds no usable tokens. Tokens expire, logout revokes one, and a disabled user's tokens
stop working at once (checked on every request, whatever the store did to the rows).

A password check takes a turn in the process's hashing queue (passwords.py), then counts the
attempt in the database (throttle.py) before argon2 runs: unknown usernames get the same answer, the
same hashing time and the same lockout, so neither the message, the timing nor a 429 tells an
attacker which usernames exist.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import insert, select, update

from server_api.core.errors import VaultError
from server_api.store.accounts import WRONG_LOGIN, Accounts, IssuedToken
from server_api.store.entities import User
from server_api.store.passwords import hashing_queue, verify_password
from server_api.store.sql import throttle
from server_api.store.sql.convert import now, to_user, utc
from server_api.store.sql.models import ApiTokenRow, UserRow

TOKEN_BYTES = 32  # 256 bits
TOKEN_LIFETIME = timedelta(days=30)
LAST_USED_GRANULARITY = timedelta(minutes=5)  # avoid a database write on every request

U = UserRow.__table__
A = ApiTokenRow.__table__


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def password_matches(store, username: str, password: str, client: str = ""):
    """The active user's row when ``password`` is theirs, else None; every call counts toward the
    lockout of that name until a right one clears it. "throttled" while locked or while busy."""
    if not isinstance(username, str) or not isinstance(password, str):
        raise VaultError("invalid_argument", "username and password must be strings")
    key = throttle.name_key(username)
    with hashing_queue().turn(client):
        throttle.count_attempt(store, key)
        with store.engine.connect() as conn:
            row = conn.execute(
                select(U.c.id, U.c.username, U.c.display_name, U.c.is_admin, U.c.is_active,
                       U.c.created_at, U.c.password_hash).where(U.c.username == username)
            ).first()
        ok = verify_password(row.password_hash if row else None, password)  # same time for everyone
    if not ok or not row.is_active:  # a disabled account reveals nothing either
        return None
    with store.session() as s:
        throttle.clear(s, key)
    return row


class AuthMixin(Accounts):
    _token_hash: str | None = None  # the token a signed_in view acts through

    def login(self, username: str, password: str, *, client: str = "") -> IssuedToken:
        row = password_matches(self, username, password, client)
        if row is None:
            raise VaultError("unauthenticated", WRONG_LOGIN)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        issued_at = now()
        with self.session() as s:
            s.execute(insert(A).values(user_id=row.id, token_hash=hash_token(token), created_at=issued_at,
                                       expires_at=issued_at + TOKEN_LIFETIME))
        return IssuedToken(token=token, user=to_user(row), expires_at=issued_at + TOKEN_LIFETIME)

    def user_for_token(self, token: str) -> User:
        moment = now()
        with self.engine.connect() as conn:
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
            with self.session() as s:
                s.execute(update(A).where(A.c.id == row.token_id).values(last_used_at=moment))
        return to_user(row)

    def signed_in(self, token: str):
        view = self.for_user(self.user_for_token(token))
        view._token_hash = hash_token(token)  # set_password keeps this token, ends the others
        return view

    def revoke(self, token: str) -> None:
        with self.session() as s:
            s.execute(
                update(A).where(A.c.token_hash == hash_token(token), A.c.revoked_at.is_(None))
                .values(revoked_at=now())
            )
