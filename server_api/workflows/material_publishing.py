"""Publish a material: every map's current version to its texture's original path, together.

Every target is checked, every replaced file no version has is kept as a version, and every temp
file is written and fsynced BEFORE the first rename: a target that fails (missing folder, no space,
no permission) leaves every other map untouched. Then the renames, then the publish records.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from server_api.content.durable import TEMP_SUFFIX, fsync_dir
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import PublishResult, Texture
from server_api.store.material_entities import MaterialPublishResult
from server_api.workflows.publishing import CHUNK, _check_target, _hash_existing, _keep_replaced_bytes


def publish_material(store: VaultStore, material_id: int) -> MaterialPublishResult:
    material = store.get_material(material_id)
    if not material.maps:
        raise VaultError("invalid_argument", f"material {material.name!r} has no maps to publish")
    textures = [store.get_texture(m.texture_id) for m in material.maps]
    targets = [Path(t.original_path) for t in textures]
    for target in targets:
        _check_target(target)
    kept = {t.id: _keep_if_unknown(store, t, target) for t, target in zip(textures, targets, strict=True)}
    temps: list[Path | None] = []
    try:
        for texture, target in zip(textures, targets, strict=True):
            temps.append(_write_temp(store, texture, target))
        for temp, target in zip(temps, targets, strict=True):
            if temp is not None:
                os.replace(temp, target)
                fsync_dir(target.parent)
    finally:
        for temp in temps:
            if temp is not None:
                temp.unlink(missing_ok=True)
    published = tuple(
        PublishResult(
            texture_id=t.id,
            version=store.record_publish(t.id, t.current.id, str(target)),
            path=str(target),
            kept_version=kept[t.id],
        )
        for t, target in zip(textures, targets, strict=True)
    )
    return MaterialPublishResult(material_id=material.id, version=material.version, published=published)


def _keep_if_unknown(store: VaultStore, texture: Texture, target: Path):
    """Bytes at the target that no version of the texture has are kept as a version first."""
    if not target.exists():
        return None
    found = _hash_existing(target)
    if found == texture.current.sha256 or found in {v.sha256 for v in store.list_versions(texture.id)}:
        return None
    return _keep_replaced_bytes(store, texture.id, target)


def _write_temp(store: VaultStore, texture: Texture, target: Path) -> Path | None:
    """The current bytes in an fsynced temp file beside ``target``; None when they are there already."""
    if target.exists() and _hash_existing(target) == texture.current.sha256:
        return None
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
    try:
        with store.open_version(texture.current.id) as src, open(temp, "xb") as out:
            shutil.copyfileobj(src, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            shutil.copymode(target, temp)  # the file keeps the permissions the artist gave it
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise VaultError(
            "invalid_argument",
            f"cannot publish to {target}: {exc.strerror or exc}; no map of the material was changed",
        ) from None
    return temp
