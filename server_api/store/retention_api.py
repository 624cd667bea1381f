"""Retention: a part of the VaultStore interface (every face implements it; issue 15).

A collection's admins may set ``keep_last`` N: each texture keeps its last N versions by number,
its current version and every published one; the others move to the **version trash** when the
policy is set and whenever new versions land in the collection. A version in the trash is hidden
from histories and counts, restorable for TRASH_KEEP_DAYS (restoring shows it again, it does not
make it current), then purged; ``gc`` reclaims its bytes once no version row anywhere names them.

A restored version outside the last N goes back to the trash the next time the policy applies
(new versions landing, or the policy set again): publish it, or raise keep-last, to keep it.
Making a trashed version current (or publishing it) is refused: restore it first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from server_api.core.errors import VaultError
from server_api.store.entities import Version

MAX_KEEP_LAST = 100_000  # a policy is a small number; this only bounds what the column holds


@dataclass(frozen=True)
class RetentionPolicy:
    collection_id: int
    keep_last: int | None  # None: every version is kept


@dataclass(frozen=True)
class RetentionReport:
    """What a policy moves (or would move) to the version trash."""

    collection_id: int
    keep_last: int | None
    versions: int  # versions moved to the trash
    textures: int  # textures they belong to
    byte_size: int  # their sizes added up (identical bytes counted per version)
    reclaimable_bytes: int  # bytes of blobs that no version outside the trash would name any more
    applied: bool  # False for a preview


@dataclass(frozen=True)
class TrashedVersion:
    texture_id: int
    texture_name: str
    version: Version  # version.trashed_at says since when


def check_keep_last(keep_last) -> int | None:
    """None, or a whole number of versions >= 1; anything else is "invalid_argument"."""
    if keep_last is None:
        return None
    if isinstance(keep_last, bool) or not isinstance(keep_last, int) or not 1 <= keep_last <= MAX_KEEP_LAST:
        raise VaultError("invalid_argument", f"keep-last must be a whole number of versions from 1 to "
                         f"{MAX_KEEP_LAST} (or none: keep every version), not {keep_last!r}")
    return keep_last


class RetentionApi(ABC):
    @abstractmethod
    def retention(self, collection_id: int) -> RetentionPolicy:
        """The collection's policy (read level)."""

    @abstractmethod
    def set_retention(self, collection_id: int, keep_last: int | None) -> RetentionReport:
        """Set (None: remove) the policy and apply it at once, in one transaction (admin level)."""

    @abstractmethod
    def retention_preview(self, collection_id: int, keep_last: int | None) -> RetentionReport:
        """What setting ``keep_last`` would move to the version trash now; changes nothing (read level)."""

    @abstractmethod
    def list_version_trash(self, collection_id: int, *, limit: int = 1000) -> list[TrashedVersion]:
        """Versions in the collection's version trash, most recently trashed first (read level)."""

    @abstractmethod
    def restore_version(self, version_id: int) -> Version:
        """Back from the version trash, visible again but not current (write level); a version not in
        the trash is returned as it is."""

    @abstractmethod
    def empty_version_trash(self, collection_id: int) -> int:
        """Delete the collection's trashed versions for good (write level); how many went."""
