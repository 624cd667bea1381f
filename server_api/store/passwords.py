"""argon2id password hashing: the only place passwords are hashed or checked."""

from __future__ import annotations

import os
from functools import lru_cache

from server_api.core.errors import VaultError

MIN_PASSWORD_LENGTH = 8


@lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher, profiles  # server extra; a local vault never needs it

    # The test suite creates hundreds of accounts: VAULT_PASSWORD_HASH=cheap keeps argon2id but with
    # its smallest parameters. Real deployments never set it and get the library's recommended ones.
    if os.environ.get("VAULT_PASSWORD_HASH") == "cheap":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


def check_password_rules(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise VaultError("invalid_argument", f"password must have at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. With no hash, still spends the same time (no user oracle)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    target = password_hash or _dummy_hash()
    try:
        ok = _hasher().verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password-used-for-timing")
