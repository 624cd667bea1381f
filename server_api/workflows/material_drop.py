"""Files dropped onto a material: each becomes a new version of the map with the same role, and all
of them together make ONE material version (VaultStore.set_material_maps_current).

The role is read from the file name (imaging/map_names.py), the way grouping reads it; a normal
map's convention picks between two normals. A file naming no map of the material, a second file for
the same map, and a file with the bytes the map already has are left out, each with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from server_api.content.hashes import file_sha256
from server_api.imaging.formats import has_image_suffix
from server_api.imaging.map_names import read_name
from server_api.store.base import VaultStore
from server_api.store.material_entities import Material, MaterialMap
from server_api.workflows.importing import expand_paths


@dataclass(frozen=True)
class DropResult:
    material: Material
    versioned: tuple[str, ...]  # the files that became new versions
    skipped: tuple[tuple[str, str], ...]  # (file, why)


def drop_onto_material(
    store: VaultStore, material_id: int, paths: Iterable[str | os.PathLike[str]]
) -> DropResult:
    material = store.get_material(material_id)
    chosen: dict[int, str] = {}  # texture id -> file
    skipped: list[tuple[str, str]] = []
    for path in expand_paths(paths):
        name = os.path.basename(path)
        if not has_image_suffix(name):
            skipped.append((path, "not an image file name"))
            continue
        target = _map_for(material, path)
        if target is None:
            skipped.append((path, f"names no map of {material.name!r}"))
        elif target.texture_id in chosen:
            first = os.path.basename(chosen[target.texture_id])
            skipped.append((path, f"{first} already goes to {target.name}"))
        elif file_sha256(path) == store.get_texture(target.texture_id).current.sha256:
            skipped.append((path, f"the same bytes as {target.name} v{target.version_number}"))
        else:
            chosen[target.texture_id] = path
    if not chosen:
        return DropResult(material, (), tuple(skipped))
    note = f"dropped onto material {material.name!r}"
    versions = [
        store.add_version(texture_id, path, note=note, make_current=False)
        for texture_id, path in chosen.items()
    ]
    changed = store.set_material_maps_current(
        material_id, [v.id for v in versions], note=f"{len(versions)} maps dropped"
    )
    return DropResult(changed, tuple(chosen.values()), tuple(skipped))


def _map_for(material: Material, path: str) -> MaterialMap | None:
    reading = read_name(path)
    same_role = [m for m in material.maps if m.role == reading.role]
    if len(same_role) > 1 and reading.normal_convention:
        same_role = [m for m in same_role if m.normal_convention == reading.normal_convention]
    return same_role[0] if len(same_role) == 1 else None
