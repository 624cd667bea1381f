"""Publish a material: every map's current version to its texture's original path, together.

The same steps as a texture's publish (workflows/publishing.py: the approved roots, the kept bytes),
staged: every target is checked, every replaced file no version has is kept as a version, and every
temp file is written and fsynced BEFORE the first rename, so a target that fails (not approved,
missing folder, no space, no permission) leaves every other map untouched. Then the renames, then
the publish records.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from server_api.content.durable import fsync_file, open_temp_beside, replace_durably
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.material_entities import MaterialPublishResult
from server_api.workflows.publish_roots import PublishRoots
from server_api.workflows.publishing import (
    PublishPlan,
    copy_current,
    keep_replaced_bytes,
    plan_publish,
    record_published,
)


def publish_material(
    store: VaultStore, material_id: int, *, roots: PublishRoots | None = None
) -> MaterialPublishResult:
    """``roots``: where this user lets publishes write (the saved ones by default)."""
    material = store.get_material(material_id)
    if not material.maps:
        raise VaultError("invalid_argument", f"material {material.name!r} has no maps to publish")
    roots = roots or PublishRoots.load(store.uri)
    plans = [plan_publish(store, m.texture_id, roots) for m in material.maps]
    kept = [keep_replaced_bytes(store, plan) for plan in plans]
    staged: list[tuple[Path, Path]] = []  # (temp, target)
    try:
        for plan in plans:
            if plan.needs_write:
                staged.append((_stage(store, plan), plan.target))
        for temp, target in staged:
            replace_durably(temp, target)
    finally:
        for temp, _target in staged:
            temp.unlink(missing_ok=True)
    published = tuple(record_published(store, plan, k) for plan, k in zip(plans, kept, strict=True))
    return MaterialPublishResult(material_id=material.id, version=material.version, published=published)


def _stage(store: VaultStore, plan: PublishPlan) -> Path:
    """The current bytes in an fsynced temp file beside the target, with the target's permissions."""
    temp = None
    try:
        temp, out = open_temp_beside(plan.target)
        with out:
            copy_current(store, plan, out)
        fsync_file(temp)
        if plan.target.exists():
            shutil.copymode(plan.target, temp)  # the file keeps the permissions the artist gave it
    except OSError as exc:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise VaultError(
            "invalid_argument",
            f"cannot publish to {plan.target}: {exc.strerror or exc}; no map of the material was changed",
        ) from None
    return temp
