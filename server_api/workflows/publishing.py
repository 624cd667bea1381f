"""Publish: write a texture's current version to its original path on this machine, atomically.

Scenes that reference the path see either the old file or the new one, never half of one: the bytes
go to a temp file in the same folder, are fsynced, then ``os.replace`` swaps them in. If the file
being replaced holds bytes none of the texture's versions have (someone painted over it outside the
vault), those bytes are first kept as a version, so a publish never destroys work.

Where it may write is the local user's decision, not the vault's (publish_roots.py): inside approved
folders only, through no '..', into no hidden folder, onto image file names only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from server_api.content.durable import atomic_writer
from server_api.content.hashes import file_sha256
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import PublishResult, Version
from server_api.workflows.publish_roots import PublishRoots

CHUNK = 1 << 20


def publish(store: VaultStore, texture_id: int, *, roots: PublishRoots | None = None) -> PublishResult:
    """Write the current version to its original path (translated by this vault's roots, and only
    where ``roots`` approve: PublishNotApproved otherwise). ``roots``: the user's saved ones."""
    texture = store.get_texture(texture_id)
    current = texture.current
    target = (roots or PublishRoots.load(store.uri)).checked_target(texture.original_path)
    _check_target(target)
    kept = None
    if target.exists():
        found = _hash_existing(target)
        if found != current.sha256:
            if found not in {v.sha256 for v in store.list_versions(texture_id)}:
                kept = _keep_replaced_bytes(store, texture_id, target)
            _write_atomically(store, current, target)
    else:
        _write_atomically(store, current, target)
    published = store.record_publish(texture_id, current.id, str(target))
    return PublishResult(texture_id=texture_id, version=published, path=str(target), kept_version=kept)


def _check_target(target: Path) -> None:
    folder = target.parent
    if not folder.is_dir():
        raise VaultError(
            "invalid_argument", f"cannot publish to {target}: the folder {folder} does not exist"
        )
    if target.is_dir():
        raise VaultError("invalid_argument", f"cannot publish to {target}: a folder has that name")


def _hash_existing(target: Path) -> str:
    try:
        return file_sha256(target)
    except OSError as exc:
        raise VaultError("invalid_argument", f"cannot read {target} to check it: {exc.strerror}") from None


def _keep_replaced_bytes(store: VaultStore, texture_id: int, target: Path) -> Version:
    try:
        return store.add_version(
            texture_id, str(target), note=f"kept on publish: bytes found at {target}", make_current=False
        )
    except VaultError as exc:
        # Bytes we cannot keep (not an image, too big) would be lost: refuse rather than destroy them.
        raise VaultError(
            "conflict", f"not publishing to {target}: the file there differs from every version and "
            f"cannot be kept as one ({exc.message}); move it away first",
        ) from None


def _write_atomically(store: VaultStore, version: Version, target: Path) -> None:
    # keep_mode: the file keeps the permissions the artist gave it.
    try:
        with store.open_version(version.id) as src, atomic_writer(target, keep_mode=True) as out:
            shutil.copyfileobj(src, out, CHUNK)
    except OSError as exc:
        raise VaultError("invalid_argument", f"cannot publish to {target}: {exc.strerror or exc}") from None
