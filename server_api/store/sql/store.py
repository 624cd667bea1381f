"""SqlVaultStore: the VaultStore over SQLAlchemy and the content-addressed blob store.

It is both the local vault (a folder: vault.db + blobs/ + thumbs/ + tmp/, one local user who owns
everything) and the shared server's engine (a root store with no actor; the HTTP layer makes a
cheap per-request view with ``for_user``). The use cases live in the mixins, one file per area;
this file holds construction, the actor, and transactions.
"""

from __future__ import annotations

import copy
import getpass
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from server_api.content.opening import folder_content_store
from server_api.content.source import Source
from server_api.content.store import ContentStore, GcReport
from server_api.core.errors import VaultError
from server_api.store.entities import ImportResult, User
from server_api.store.server import ServerStore
from server_api.store.sql import batch_import, maintenance
from server_api.store.sql.auth import AuthMixin
from server_api.store.sql.bulk import BulkTexture, bulk_add
from server_api.store.sql.change_ops import ChangesMixin
from server_api.store.sql.collection_ops import CollectionsMixin
from server_api.store.sql.convert import U, to_user, user_select
from server_api.store.sql.engine import make_engine, sqlite_url, write_engine
from server_api.store.sql.import_many import ImportManyMixin
from server_api.store.sql.import_ops import ImportMixin
from server_api.store.sql.ingest import DEFAULT_MAX_UPLOAD_BYTES
from server_api.store.sql.material_ops import MaterialsMixin
from server_api.store.sql.material_tag_ops import MaterialTagsMixin
from server_api.store.sql.material_version_ops import MaterialVersionsMixin
from server_api.store.sql.notification_ops import NotificationsMixin
from server_api.store.sql.qa_ops import QaMixin
from server_api.store.sql.retention_ops import RetentionMixin
from server_api.store.sql.review_ops import ReviewMixin
from server_api.store.sql.rows import version_by_upload_key
from server_api.store.sql.schema import ensure_schema
from server_api.store.sql.sharing import SharingMixin
from server_api.store.sql.similar_ops import SimilarMixin
from server_api.store.sql.tag_ops import TagsMixin
from server_api.store.sql.texture_ops import TexturesMixin
from server_api.store.sql.trash_ops import TrashMixin
from server_api.store.sql.upload_leases import UploadLeasesMixin
from server_api.store.sql.users import UsersMixin
from server_api.store.sql.version_ops import VersionsMixin
from server_api.store.sql.webhook_ops import WebhooksMixin
from server_api.store.sql.webhook_queue import WebhookQueueMixin

DB_FILE = "vault.db"


class SqlVaultStore(SimilarMixin, RetentionMixin,
                    QaMixin, TagsMixin, MaterialTagsMixin, MaterialsMixin, MaterialVersionsMixin, AuthMixin,
                    UsersMixin, CollectionsMixin, TexturesMixin, TrashMixin, VersionsMixin, ImportMixin,
                    ImportManyMixin, SharingMixin, UploadLeasesMixin, ReviewMixin, NotificationsMixin,
                    ChangesMixin, WebhooksMixin, WebhookQueueMixin, ServerStore):
    def __init__(self, engine: Engine, data_dir: Path, *, kind: str, uri: str,
                 max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES, content: ContentStore | None = None):
        self.engine = engine
        self._writer = write_engine(engine)
        self.data_dir = Path(data_dir)
        # The bytes and their thumbnails: the data folder unless the server was given another store
        # (VAULT_CONTENT_URL). Nothing in store/ knows where they live.
        self.content = content or folder_content_store(self.data_dir)
        self.kind = kind
        self.uri = uri
        self.max_upload_bytes = max_upload_bytes
        self._actor: User | None = None
        self._owns_engine = True

    # ---- opening ------------------------------------------------------------------------------
    @classmethod
    def open_local(cls, folder: str | Path, **options) -> SqlVaultStore:
        """Open (creating on first use) the vault in ``folder``, acting as this machine's user."""
        folder = Path(folder).expanduser().resolve()
        if folder.exists() and not folder.is_dir():
            raise VaultError("invalid_argument", f"{folder} is a file, not a vault folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise VaultError(
                "invalid_argument", f"cannot create the vault folder {folder}: {exc.strerror}"
            ) from None
        engine = make_engine(sqlite_url(folder / DB_FILE))
        ensure_schema(engine)
        store = cls(engine, folder, kind="local", uri=str(folder), **options)
        local = store.for_user(store._local_user())
        local._owns_engine = True  # the only handle on this engine: closing it must release the file
        return local

    @classmethod
    def open_server(cls, database_url: str, data_dir: str | Path, **options) -> SqlVaultStore:
        """The server's root store: no actor until ``for_user``; bytes in ``content`` (default: under
        ``data_dir``)."""
        engine = make_engine(database_url)
        ensure_schema(engine)
        shown = engine.url.render_as_string(hide_password=True)  # uri ends up in logs and reprs
        return cls(engine, Path(data_dir), kind="local", uri=shown, **options)

    def for_user(self, user: User | str) -> SqlVaultStore:
        """A view acting as ``user``, sharing this store's engine and blob store."""
        username = user.username if isinstance(user, User) else user
        with self._read() as s:
            row = s.execute(user_select().where(U.c.username == username)).first()
        if row is None or not row.is_active:
            raise VaultError("unauthenticated", f"no active account named {username!r}")
        view = copy.copy(self)
        view._actor = to_user(row)
        view._owns_engine = False
        return view

    def create_admin(self, username: str, password: str | None, display_name: str = "") -> User:
        """For setup tools (first server start, tests): a server admin, made without an actor."""
        return self._insert_user(username, password, is_admin=True, display_name=display_name)

    def _local_user(self) -> str:
        username = _local_username()
        with self._read() as s:
            exists = s.execute(user_select().where(U.c.username == username)).first()
        if exists is None:
            try:
                self.create_admin(username, None, display_name=username)
            except VaultError as exc:  # another process created it a moment ago
                if exc.code != "conflict":
                    raise
        return username

    # ---- ServerStore -------------------------------------------------------------------------
    def ping(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise VaultError("unavailable", f"the database does not answer: {exc.orig}") from None

    @property
    def upload_dir(self) -> Path:
        return self.content.upload_dir

    # ---- transactions -------------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE on SQLite), committed when the block ends cleanly.

        A unique constraint hit by a concurrent writer (PostgreSQL checks names and paths per
        transaction, not under one lock like SQLite) becomes "conflict" instead of a raw driver error.
        """
        try:
            with Session(self._writer, expire_on_commit=False) as s, s.begin():
                yield s
        except IntegrityError as exc:
            raise VaultError(
                "conflict", "someone changed the same thing at the same moment; try again"
            ) from exc

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A read transaction: a consistent snapshot that never blocks the writer (WAL)."""
        with Session(self.engine) as s, s.begin():
            yield s

    def _upload_made(self, upload_key: str | None) -> tuple[int, int] | None:
        """(texture id, version id) made earlier by an upload with this idempotency key."""
        with self._read() as s:
            return version_by_upload_key(s, upload_key)

    def _me(self) -> User:
        if self._actor is None:
            raise VaultError("unauthenticated", "sign in first: this store has no acting user")
        return self._actor

    # ---- maintenance and bulk -----------------------------------------------------------------
    def fsck(self, *, repair: bool = False) -> maintenance.FsckReport:
        """Every version's blob exists and re-hashes to its name, and its thumbnail decodes;
        ``repair`` makes missing or corrupt thumbnails again. Counts of what was checked."""
        return maintenance.fsck(self, repair=repair)

    def gc(self, *, temp_grace_seconds: float = 3600, blob_grace_seconds: float = 3600) -> GcReport:
        """Remove blobs no version references and stale temp files (older than the graces)."""
        return maintenance.gc(self, temp_grace_seconds=temp_grace_seconds,
                              blob_grace_seconds=blob_grace_seconds)

    def bulk_add_textures(self, collection_id: int, items: Iterable[BulkTexture], source: Source,
                          *, batch_size: int = 2000) -> list[int]:
        """Thousands of textures fast (tests, benchmarks, migrations): see bulk.bulk_add."""
        return bulk_add(self, collection_id, items, source, batch_size=batch_size)

    def import_batch(self, collection_id: int, files: list[str], *, workers: int | None = None,
                     on_result: Callable[[ImportResult], None] | None = None) -> list[ImportResult] | None:
        """What ``importing.import_paths`` runs on this store: rows written in batches (None: not
        here, see ``batch_import.import_batch``)."""
        return batch_import.import_batch(self, collection_id, files, workers=workers, on_result=on_result)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()
            self.content.close()

    def __repr__(self) -> str:
        actor = self._actor.username if self._actor else None
        return f"SqlVaultStore({self.uri!r}, actor={actor!r})"


def _local_username() -> str:
    """The OS login name, made into a valid username (e.g. 'DOMAIN\\jo smith' -> 'DOMAIN_jo_smith')."""
    try:
        raw = getpass.getuser()
    except (OSError, KeyError):  # no login name in containers without a passwd entry
        raw = "local"
    name = re.sub(r"[^A-Za-z0-9._-]", "_", raw).lstrip("._-")[:64]
    return name or "local"
