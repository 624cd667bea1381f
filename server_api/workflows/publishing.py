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
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from server_api.content.durable import atomic_writer
from server_api.content.hashes import file_sha256
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import PublishResult, Texture, Version
from server_api.workflows.publish_roots import PublishRoots

CHUNK = 1 << 20


@dataclass(frozen=True)
class PublishPlan:
    """One texture's publish, checked and not yet written (material publishing stages many)."""

    texture: Texture
    target: Path  # where it writes on this machine, approved by the user's roots
    found: str | None  # sha256 of the file at the target now; None when there is none

    @property
    def needs_write(self) -> bool:
        return self.found != self.texture.current.sha256


def publish(store: VaultStore, texture_id: int, *, roots: PublishRoots | None = None) -> PublishResult:
    """Write the current version to its original path (translated by this vault's roots, and only
    where ``roots`` approve: PublishNotApproved otherwise). ``roots``: the user's saved ones."""
    plan = plan_publish(store, texture_id, roots or PublishRoots.load(store.uri))
    kept = keep_replaced_bytes(store, plan)
    if plan.needs_write:
        try:
            with atomic_writer(plan.target, keep_mode=True) as out:  # keeps the artist's permissions
                copy_current(store, plan, out)
        except OSError as exc:
            raise VaultError(
                "invalid_argument", f"cannot publish to {plan.target}: {exc.strerror or exc}"
            ) from None
    return record_published(store, plan, kept)


def plan_publish(store: VaultStore, texture_id: int, roots: PublishRoots) -> PublishPlan:
    """Where the texture publishes and what is there now; a VaultError naming the target if it may not."""
    texture = store.get_texture(texture_id)
    target = roots.checked_target(texture.original_path)
    folder = target.parent
    if not folder.is_dir():
        raise VaultError(
            "invalid_argument", f"cannot publish to {target}: the folder {folder} does not exist"
        )
    if target.is_dir():
        raise VaultError("invalid_argument", f"cannot publish to {target}: a folder has that name")
    return PublishPlan(texture, target, _hash_existing(target) if target.exists() else None)


def keep_replaced_bytes(store: VaultStore, plan: PublishPlan) -> Version | None:
    """Bytes at the target that no version has are kept as a (not current) version before any write."""
    if plan.found is None or not plan.needs_write:
        return None
    if plan.found in {v.sha256 for v in store.list_versions(plan.texture.id)}:
        return None
    try:
        return store.add_version(
            plan.texture.id, str(plan.target), note=f"kept on publish: bytes found at {plan.target}",
            make_current=False,
        )
    except VaultError as exc:
        # Bytes we cannot keep (not an image, too big) would be lost: refuse rather than destroy them.
        raise VaultError(
            "conflict", f"not publishing to {plan.target}: the file there differs from every version and "
            f"cannot be kept as one ({exc.message}); move it away first",
        ) from None


def copy_current(store: VaultStore, plan: PublishPlan, out: BinaryIO) -> None:
    with store.open_version(plan.texture.current.id) as src:
        shutil.copyfileobj(src, out, CHUNK)


def record_published(store: VaultStore, plan: PublishPlan, kept: Version | None) -> PublishResult:
    published = store.record_publish(plan.texture.id, plan.texture.current.id, str(plan.target))
    return PublishResult(
        texture_id=plan.texture.id, version=published, path=str(plan.target), kept_version=kept
    )


def _hash_existing(target: Path) -> str:
    try:
        return file_sha256(target)
    except OSError as exc:
        raise VaultError("invalid_argument", f"cannot read {target} to check it: {exc.strerror}") from None
