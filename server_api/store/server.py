"""ServerStore: what a server process holds, beyond what a caller sees through VaultStore.

A root store with no caller of its own: each request acts through ``for_user``. The HTTP layer is
typed against this interface and never against a face, so a new face (another database, several
instances over one) serves the same routes by implementing it. SqlVaultStore implements it.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path

from server_api.store.base import VaultStore
from server_api.store.entities import User
from server_api.store.webhook_api import WebhookQueue


@dataclass(frozen=True)
class UploadLease:
    """One of an account's upload slots, held by one upload (see ServerStore.take_upload_lease)."""

    user_id: int
    slot: int
    holder: str  # the taker's random mark: only it renews or releases the lease


class ServerStore(VaultStore, WebhookQueue):
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
        """A local folder where uploads land while they arrive (the content store's): beside the
        bytes when they live in a folder, so a finished upload moves by rename; the staging area
        an upload is hashed and analysed in before it goes to object storage."""

    # ---- upload slots: shared by every instance over this store's database (issue 15) --------------
    @abstractmethod
    def take_upload_lease(self, user_id: int, limit: int, seconds: float) -> UploadLease | None:
        """One of the account's ``limit`` upload slots for ``seconds`` (a free one, or one whose lease
        ran out), or None while all ``limit`` are held, by this process or any other."""

    @abstractmethod
    def renew_upload_lease(self, lease: UploadLease, seconds: float) -> bool:
        """Hold the slot ``seconds`` more; False when the lease had run out and was taken over."""

    @abstractmethod
    def release_upload_lease(self, lease: UploadLease) -> None:
        """Give the slot back (nothing happens when the lease already went to someone else)."""
