"""Accounts: signing in to a server, below HTTP. The SQL face implements it (store/sql/auth.py), so
every worker and every instance over one database shares the same tokens and the same lockout.

The HTTP layer (http/deps.py, http/routes/auth.py) talks only to this interface, never to rows.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from server_api.store.base import VaultStore
from server_api.store.entities import User

# The one answer to a wrong password, an unknown username and a disabled account alike.
WRONG_LOGIN = "wrong username or password"


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the secret; shown to the client once, never stored
    user: User
    expires_at: datetime


class Accounts(ABC):
    @abstractmethod
    def login(self, username: str, password: str, *, client: str = "") -> IssuedToken:
        """A new token for a right password; "unauthenticated" otherwise, "throttled" while that
        username is locked (after 5 wrong passwords) or while the server checks too many at once.
        ``client`` (the caller's address) gets its fair share of the password checks."""

    @abstractmethod
    def user_for_token(self, token: str) -> User:
        """The active user owning a live token; "unauthenticated" for anything else."""

    @abstractmethod
    def signed_in(self, token: str) -> VaultStore:
        """The store as the token's user sees it. A password change made through it ends every
        other token of that user, and keeps this one."""

    @abstractmethod
    def revoke(self, token: str) -> None:
        """Logout: the token stops working. An unknown or revoked token changes nothing."""
