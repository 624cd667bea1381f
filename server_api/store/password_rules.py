"""What a new password must be (OWASP ASVS 5.0, V6.2): the one place these rules live.

At least 8 characters and at most 1000 (long passphrases welcome; no composition rules), not one
of the 10,000 most common passwords (zxcvbn's ranked list from real leaks, compared ignoring case),
not the username, not blank or only spaces, no NUL characters. The password is kept exactly as
typed: nothing is trimmed, truncated or case-folded before hashing.
"""

from __future__ import annotations

from functools import lru_cache

from server_api.core.errors import VaultError
from server_api.store.limits import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

COMMON_PASSWORDS_CHECKED = 10_000


def check_password_rules(password: str, *, username: str = "") -> None:
    """VaultError("invalid_argument") naming the first rule ``password`` breaks."""
    if not isinstance(password, str):
        raise VaultError("invalid_argument", "the password must be text")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise VaultError("invalid_argument", f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise VaultError("invalid_argument", f"password must have at most {MAX_PASSWORD_LENGTH} characters")
    if "\x00" in password:
        raise VaultError("invalid_argument", "password must not contain NUL characters")
    if not password.strip():
        raise VaultError("invalid_argument", "password must not be only spaces")
    if username and password.casefold() == username.casefold():
        raise VaultError("invalid_argument", "password must not be the username")
    if password.casefold() in common_passwords():
        raise VaultError("invalid_argument", "that password is one of the 10,000 most common ones; "
                                             "choose another (a few unrelated words make a good one)")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The most common passwords, case-folded (only those long enough to pass the length rule)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # server extra: ranked, most common first

    ranked = FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS_CHECKED]
    return frozenset(p.casefold() for p in ranked if len(p) >= MIN_PASSWORD_LENGTH)
