"""Small shared row writes and lookups used by the texture and version use cases."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, insert, select

from server_api.core.errors import VaultError
from server_api.store.entities import Texture, User, Version
from server_api.store.limits import MAX_NOTE, MAX_PATH, MAX_UPLOAD_KEY
from server_api.store.sql import fingerprint_rows
from server_api.store.sql.convert import T, V, texture_select, to_texture, to_version, version_select
from server_api.store.sql.ingest import Ingested
from server_api.store.sql.queries import fits_column


def check_original_path(path: str) -> str:
    if not isinstance(path, str) or not path.strip() or "\x00" in path or len(path) > MAX_PATH:
        raise VaultError("invalid_argument", f"original path {str(path)[:80]!r} is not a usable file path")
    return path


def check_note(note: str) -> str:
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise VaultError("invalid_argument", f"a note must be text of at most {MAX_NOTE} characters")
    return note


def scoped_upload_key(key: str | None, me: User, target: str, what: str = "upload key") -> str | None:
    """What is stored for an idempotency key: a hash of (user, target, key), so a key only ever
    finds what the same user's earlier attempt at the same target made (never another user's).
    Uploads and comments (review_ops) both scope their keys here."""
    if key is None:
        return None
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_UPLOAD_KEY:
        raise VaultError("invalid_argument", f"{what} must be 1-{MAX_UPLOAD_KEY} characters")
    return hashlib.sha256(json.dumps([me.id, target, key]).encode()).hexdigest()


def load_texture(s, texture_id: int) -> Texture:
    row = s.execute(texture_select().where(T.c.id == texture_id)).first()
    if row is None:
        raise VaultError("not_found", f"texture {texture_id} not found")
    return to_texture(row)


def load_version(s, version_id: int, texture_id: int | None = None) -> Version:
    """The version; with ``texture_id``, a version of another texture answers like a missing one."""
    if not fits_column(version_id):  # past the INTEGER column: no such row (PostgreSQL would error)
        raise VaultError("not_found", f"version {version_id} not found")
    stmt = version_select().where(V.c.id == version_id)
    if texture_id is not None:
        stmt = stmt.where(V.c.texture_id == texture_id)
    row = s.execute(stmt).first()
    if row is None:
        raise VaultError("not_found", f"version {version_id} not found")
    return to_version(row)


def not_trashed(version: Version, what: str) -> Version:
    """A version in the version trash (retention) cannot be made current or published: restore it
    first (decided so, rather than restoring it silently: the user sees why it was trashed)."""
    if version.trashed_at is not None:
        raise VaultError("conflict", f"v{version.number} is in the version trash and cannot be {what}; "
                         f"restore it first (vault restore-version {version.id})")
    return version


def version_by_upload_key(s, key: str | None) -> tuple[int, int] | None:
    """(texture id, version id) of the upload made earlier with this key, if any."""
    if key is None:
        return None
    row = s.execute(select(V.c.texture_id, V.c.id).where(V.c.upload_key == key)).first()
    return (row.texture_id, row.id) if row else None


def next_version_number(s, texture_id: int) -> int:
    # Lock the texture row (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the write lock)
    # so two writers never read the same maximum.
    s.execute(select(T.c.id).where(T.c.id == texture_id).with_for_update())
    highest = s.execute(select(func.max(V.c.number)).where(V.c.texture_id == texture_id)).scalar()
    return (highest or 0) + 1


def insert_version(
    s, me: User, texture_id: int, number: int, data: Ingested, note: str, upload_key: str | None, when
) -> int:
    info = data.info
    fingerprint_rows.keep(s, [(data.sha256, info.fingerprint)])
    return s.execute(
        insert(V).values(
            texture_id=texture_id, number=number, blob_sha256=data.sha256, byte_size=data.byte_size,
            format=info.format, width=info.width, height=info.height, mode=info.mode,
            bit_depth=info.bit_depth, has_alpha=info.has_alpha, has_icc=info.has_icc,
            colour_space=info.colour_space,
            orientation=info.orientation, note=note, created_by_id=me.id, created_at=when,
            upload_key=upload_key,
        ).returning(V.c.id)
    ).scalar_one()
