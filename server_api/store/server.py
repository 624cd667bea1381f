"""ServerStore: what a server process holds, beyond what a caller sees through VaultStore.

A root store with no caller of its own: each request acts through ``for_user``. The HTTP layer is
typed against this interface and never against a face, so a new face (another database, several
instances over one) serves the same routes by implementing it. SqlVaultStore implements it.
"""

from __future__ import annotations

from abc import abstractmethod
from pathlib import Path

from server_api.store.base import VaultStore
from server_api.store.entities import User


class ServerStore(VaultStore):
    @abstractmethod
    def for_user(self, user: User | str) -> VaultStore:
        """A view acting as ``user`` (every permission check is then that user's);
        "unauthenticated" when there is no active account of that name."""

    @abstractmethod
    def ping(self) -> None:
        """Return when the store can answer (the database is reachable); "unavailable" otherwise."""

    @property
    @abstractmethod
    def upload_dir(self) -> Path:
        """Where uploads land while they arrive: on the same disk as the stored bytes, so moving a
        finished upload into place is a rename, not a copy."""
