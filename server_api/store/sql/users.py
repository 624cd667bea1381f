"""Accounts: who the caller is, the user list for share dialogs, and admin-only account changes."""

from __future__ import annotations

import dataclasses

from sqlalchemy import insert, or_, select, update

from server_api.core.errors import VaultError
from server_api.store.entities import User
from server_api.store.limits import USERNAME
from server_api.store.passwords import hash_password
from server_api.store.sql import auth, throttle
from server_api.store.sql.access import require_server_admin
from server_api.store.sql.convert import U, now, to_user, user_select
from server_api.store.sql.models import ApiTokenRow

TOKENS = ApiTokenRow.__table__


def check_username(username: str) -> str:
    if not isinstance(username, str) or not USERNAME.fullmatch(username):
        raise VaultError(
            "invalid_argument",
            f"username {username!r} must be 1-64 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit",
        )
    return username


def no_such_user(username: str) -> VaultError:
    return VaultError("not_found", f"no user named {username!r}")


def find_user(s, username: str) -> User:
    row = s.execute(user_select().where(U.c.username == username)).first()
    if row is None:
        raise no_such_user(username)
    return to_user(row)


class UsersMixin:
    def current_user(self) -> User:
        me = self._me()
        with self._read() as s:
            return find_user(s, me.username)

    def list_users(self, query: str = "", limit: int = 50, *, include_inactive: bool = False) -> list[User]:
        me = self._me()
        if isinstance(limit, bool) or not isinstance(limit, int) or not isinstance(query, str):
            raise VaultError("invalid_argument", "list_users takes a text query and a whole-number limit")
        limit = max(1, min(limit, 500))
        stmt = user_select()
        if include_inactive:
            require_server_admin(me, "list disabled accounts")
        else:
            stmt = stmt.where(U.c.is_active.is_(True))
        if query.strip():
            pattern = f"%{query.strip()}%"
            stmt = stmt.where(or_(U.c.username.ilike(pattern), U.c.display_name.ilike(pattern)))
        with self._read() as s:
            found = [to_user(r) for r in s.execute(stmt.order_by(U.c.username).limit(limit))]
        if me.is_admin:
            return found
        # Who is a server admin is for server admins to know (an attacker's list of targets otherwise).
        return [u if u.id == me.id else dataclasses.replace(u, is_admin=None) for u in found]

    def create_user(
        self, username: str, password: str | None, *, is_admin: bool = False, display_name: str = ""
    ) -> User:
        require_server_admin(self._me(), "create accounts")
        return self._insert_user(username, password, is_admin=is_admin, display_name=display_name)

    def _insert_user(self, username, password, *, is_admin, display_name) -> User:
        check_username(username)
        password_hash = hash_password(password, username=username) if password is not None else None
        with self.session() as s:
            if s.execute(select(U.c.id).where(U.c.username == username)).first():
                raise VaultError("conflict", f"the username {username!r} is already taken")
            s.execute(insert(U).values(
                username=username, display_name=(display_name or "").strip()[:200],
                password_hash=password_hash, is_admin=bool(is_admin), is_active=True,
                failed_logins=0, created_at=now(),
            ))
            return find_user(s, username)

    def set_user_active(self, username: str, active: bool) -> User:
        me = self._me()
        require_server_admin(me, "enable or disable accounts")
        if username == me.username and not active:
            raise VaultError("invalid_argument", "you cannot disable your own account")
        with self.session() as s:
            user = find_user(s, username)
            s.execute(update(U).where(U.c.id == user.id).values(is_active=bool(active)))
            if not active:  # a disabled account must not keep working through old tokens
                s.execute(update(TOKENS).where(
                    TOKENS.c.user_id == user.id, TOKENS.c.revoked_at.is_(None)
                ).values(revoked_at=now()))
            return find_user(s, username)

    def set_password(self, username: str, password: str, *, current_password: str | None = None) -> None:
        me = self._me()
        if username != me.username:
            require_server_admin(me, "change another user's password")
        else:
            self._check_current_password(me, current_password)
        password_hash = hash_password(password, username=username)
        with self.session() as s:
            user = find_user(s, username)
            s.execute(update(U).where(U.c.id == user.id).values(password_hash=password_hash))
            throttle.clear(s, throttle.name_key(username))
            # Whoever knew the old password is signed out everywhere but here.
            keep = self._token_hash
            s.execute(update(TOKENS).where(
                TOKENS.c.user_id == user.id, TOKENS.c.revoked_at.is_(None), TOKENS.c.token_hash != keep
            ).values(revoked_at=now()))

    def _check_current_password(self, me: User, current_password: str | None) -> None:
        with self._read() as s:
            has_password = s.execute(select(U.c.password_hash).where(U.c.id == me.id)).scalar() is not None
        if not has_password:
            return  # an account without one (the local vault's user) sets its first
        if not current_password:
            raise VaultError("permission_denied", "give your current password to change it")
        if auth.password_matches(self, me.username, current_password) is None:
            raise VaultError("permission_denied", "the current password is wrong")
