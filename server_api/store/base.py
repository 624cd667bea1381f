"""VaultStore: the one interface the GUI, the CLI and the HTTP server talk to.

Two faces implement it: SqlVaultStore (SQLAlchemy + blob store; the local vault and the server's
engine) and RestVaultStore (HTTP to a server). Every method raises only VaultError for anything a
user can cause. Permission checks live inside the implementation, never in callers.

Levels: read < write < admin < owner; a server admin is above all. What each level may do:
  read   list/see the collection, its textures, versions, bytes, thumbnails, grants and events
  write  + add textures and versions, make a version current, publish, delete textures (to the
           trash), restore them, empty the trash
  admin  + rename/describe the collection, grant/change/revoke read|write|admin
  owner  + delete the collection (the owner can be neither revoked nor downgraded)
A collection the caller cannot read answers "not_found" (never reveal that it exists).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import BinaryIO

from server_api.content.source import Progress, Source
from server_api.core.errors import VaultError
from server_api.store.change_api import ChangesApi
from server_api.store.entities import (
    AuditEvent,
    Collection,
    Grant,
    ImportResult,
    Page,
    StorageUsage,
    Texture,
    TextureQuery,
    User,
    Version,
)
from server_api.store.import_decision import rejected
from server_api.store.import_items import ImportItem
from server_api.store.material_api import MaterialsApi
from server_api.store.qa_api import QaApi
from server_api.store.retention_api import RetentionApi
from server_api.store.review_api import ReviewApi
from server_api.store.similar_api import SimilarApi
from server_api.store.tag_api import TagsApi
from server_api.store.webhook_api import WebhooksApi


class VaultStore(SimilarApi, RetentionApi, TagsApi, MaterialsApi, QaApi, ReviewApi, ChangesApi, WebhooksApi,
                 ABC):
    """Abstract store. ``kind`` is "local" (a vault folder) or "remote" (a server)."""

    kind: str = "local"
    uri: str = ""

    # ---- identity -------------------------------------------------------------------------
    @abstractmethod
    def current_user(self) -> User: ...

    @abstractmethod
    def list_users(self, query: str = "", limit: int = 50, *, include_inactive: bool = False) -> list[User]:
        """Active users whose username or display name contains ``query`` (for share dialogs).

        ``include_inactive`` adds disabled accounts (the admin dialog); server admins only, anyone
        else asking for it gets "permission_denied".
        """

    @abstractmethod
    def create_user(
        self, username: str, password: str | None, *, is_admin: bool = False, display_name: str = ""
    ) -> User:
        """Server admins only. ``password`` None makes an account that cannot log in (local vault)."""

    @abstractmethod
    def set_user_active(self, username: str, active: bool) -> User:
        """Server admins only; disabling ends every token of that user."""

    @abstractmethod
    def set_password(self, username: str, password: str, *, current_password: str | None = None) -> None:
        """Server admins for anyone; a user for themself, giving ``current_password`` ("permission_denied"
        when wrong). The new one must pass the password rules (store/password_rules.py). Ends every
        other sign-in of that user; the caller's own stays."""

    # ---- collections ----------------------------------------------------------------------
    @abstractmethod
    def list_collections(self) -> list[Collection]:
        """Every collection the caller can read, with texture count and the caller's level."""

    @abstractmethod
    def get_collection(self, collection_id: int) -> Collection: ...

    @abstractmethod
    def create_collection(self, name: str, description: str = "") -> Collection:
        """Any signed-in user; names are unique per owner ("conflict" otherwise)."""

    @abstractmethod
    def update_collection(
        self, collection_id: int, *, name: str | None = None, description: str | None = None
    ) -> Collection: ...

    @abstractmethod
    def delete_collection(self, collection_id: int) -> None: ...

    def find_collection(self, name: str) -> Collection:
        """The caller's visible collection called ``name`` (own ones first); "not_found" otherwise."""
        from server_api.core.errors import VaultError

        matches = [c for c in self.list_collections() if c.name == name]
        if not matches:
            raise VaultError("not_found", f"no collection named {name!r}")
        me = self.current_user().username
        matches.sort(key=lambda c: (c.owner != me, c.id))
        return matches[0]

    # ---- textures -------------------------------------------------------------------------
    @abstractmethod
    def list_textures(
        self,
        collection_id: int,
        query: TextureQuery = TextureQuery(),
        *,
        limit: int = 200,
        cursor: str | None = None,
    ) -> Page[Texture]:
        """One page of textures, keyset-paginated; ``Page.next`` continues it."""

    @abstractmethod
    def count_textures(self, collection_id: int, query: TextureQuery = TextureQuery()) -> int: ...

    @abstractmethod
    def get_texture(self, texture_id: int) -> Texture: ...

    @abstractmethod
    def find_texture(
        self, collection_id: int, *, original_path: str | None = None, sha256: str | None = None
    ) -> Texture | None:
        """The texture with that original path, or whose current version has those bytes."""

    @abstractmethod
    def add_texture(
        self,
        collection_id: int,
        source: Source,
        *,
        original_path: str,
        name: str | None = None,
        note: str = "",
        progress: Progress | None = None,
        upload_key: str | None = None,
    ) -> Texture:
        """A new texture with version 1. Unreadable or unsupported bytes: "unsupported_media".
        A repeated ``upload_key`` (a retried upload) returns the texture made the first time."""

    @abstractmethod
    def delete_texture(self, texture_id: int) -> None:
        """Move to the trash (write level): hidden from listings, counts and lookups, restorable."""

    # ---- trash ----------------------------------------------------------------------------
    @abstractmethod
    def list_trash(self, collection_id: int) -> list[Texture]:
        """The collection's deleted textures, most recently deleted first (read level). Each stays
        until the trash is emptied or 30 days pass; importing its path again replaces it."""

    @abstractmethod
    def restore_texture(self, texture_id: int) -> Texture:
        """Back from the trash (write level); a texture not in the trash is returned as it is."""

    @abstractmethod
    def empty_trash(self, collection_id: int) -> int:
        """Delete the collection's trashed textures for good (write level); how many went."""

    # ---- versions -------------------------------------------------------------------------
    @abstractmethod
    def list_versions(self, texture_id: int) -> list[Version]:
        """The timeline, newest first."""

    @abstractmethod
    def add_version(
        self,
        texture_id: int,
        source: Source,
        *,
        note: str = "",
        make_current: bool = True,
        progress: Progress | None = None,
        upload_key: str | None = None,
    ) -> Version:
        """Version N+1 (current unless make_current=False). Numbers stay contiguous under
        concurrency. Unreadable or unsupported bytes: "unsupported_media". A repeated
        ``upload_key`` (a retried upload) returns the version made the first time."""

    @abstractmethod
    def set_current_version(self, texture_id: int, version_id: int) -> Texture: ...

    @abstractmethod
    def open_version(self, version_id: int, *, start: int = 0, length: int | None = None) -> BinaryIO:
        """A readable stream of the version's bytes; the caller closes it. ``start``/``length``: only
        ``length`` bytes (None: to the end; fewer at the end) from ``start``, a negative ``start``
        meaning the last -start bytes (HTTP's Range, used to resume a download). A start past the
        end: "range_not_satisfiable"; a length under 1: "invalid_argument"."""

    @abstractmethod
    def version_thumbnail(self, version_id: int, side: int = 256) -> bytes:
        """Encoded thumbnail (JPEG, or PNG/WebP where there is alpha), longest side about ``side``
        px: 256, or 512 (a larger preview, made on first request and kept; an image no larger than
        256 px answers its 256 px thumbnail). Other sides: "invalid_argument"."""

    @abstractmethod
    def record_publish(self, texture_id: int, version_id: int, path: str) -> Version:
        """Note that ``version_id`` was written to ``path`` (write level); returns the version."""

    @abstractmethod
    def set_colour_space(self, version_id: int, colour_space: str) -> Version:
        """Override the colour space import decided (write level): srgb | linear | unknown, anything
        else "invalid_argument"; returns the version."""

    # ---- sharing and audit ----------------------------------------------------------------
    @abstractmethod
    def list_grants(self, collection_id: int) -> list[Grant]:
        """The owner first (level "owner"), then everyone granted. Read level may look."""

    @abstractmethod
    def set_grant(self, collection_id: int, username: str, level: str) -> Grant:
        """Grant or change read|write|admin. Admin level needed; the owner cannot be changed."""

    @abstractmethod
    def revoke_grant(self, collection_id: int, username: str) -> None: ...

    @abstractmethod
    def list_events(
        self, collection_id: int, *, limit: int = 100, cursor: str | None = None
    ) -> Page[AuditEvent]:
        """The collection's activity, newest first."""

    @abstractmethod
    def storage_usage(self, keep_last: int | None = None) -> list[StorageUsage]:
        """Server admins (and the local user): bytes per collection, bytes only it uses, its retention
        policy and what that policy would move to the version trash and free; ``keep_last`` previews
        that N for every collection instead. Applies nothing."""

    # ---- importing ------------------------------------------------------------------------
    @abstractmethod
    def import_source(
        self, collection_id: int, source: Source, *, original_path: str, sha256: str,
        name: str | None = None, progress: Progress | None = None, upload_key: str | None = None,
        defer_material_version: bool = False,
    ) -> ImportResult:
        """One file into a collection, decided by THE import rule (store/import_decision.py) from
        ``original_path`` and the bytes' ``sha256`` (stated up front: "unchanged" reads no bytes),
        then added or versioned. One call, one round trip to a server. A repeated ``upload_key``
        returns what the first attempt made. Bad bytes raise VaultError as add_texture does.
        ``defer_material_version``: a new version becomes current, but its material gets no material
        version yet; the operation makes ONE for all its files with ``group_textures(.., changed)``."""

    def import_many(self, collection_id: int, items: list[ImportItem]) -> list[ImportResult]:
        """Small files, one verdict each in item order: each decided as ``import_source`` decides,
        protected by its own ``upload_key``, a bad one "rejected" alone; new versions' materials
        wait (as with defer_material_version). The SQL face lands them with one flush and one
        transaction, a server in ONE request (POST .../imports/batch); this default goes file by file."""
        results = []
        for item in items:
            try:
                results.append(self.import_source(
                    collection_id, item.stream(), original_path=item.original_path, sha256=item.sha256,
                    name=item.name, upload_key=item.upload_key, defer_material_version=True))
            except VaultError as exc:
                results.append(rejected(item.original_path, exc))
        return results

    def ping(self) -> None:
        """Return when the store can answer; VaultError("unavailable") otherwise. Cheap and quick
        (the desktop app's heartbeat calls it every few seconds)."""
        self.current_user()

    def close(self) -> None:
        """Release connections and files. Safe to call twice."""
