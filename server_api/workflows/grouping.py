"""Grouping: which files of a folder make one material. ONE pure, deterministic function.

``group_files(paths)`` reads each name (map_names.read_name) and groups, per folder, the files
whose stems match once role, resolution, format and variant tokens are removed. Files with bare
role names (``albedo.jpg``, ``normal.png``) make one group named after their folder. A file whose
name names no map is in no group. When a group would hold the same map twice (a 2K and a 4K set in
one folder), it splits by resolution (one material per resolution); repeats at one resolution
(a 16-bit and an 8-bit normal, colour variants) are alternatives in one material. Every group and map
says why. Which groups become materials (at least two free textures, or the material the same key
made before) is the store's call: VaultStore.group_textures.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePath

from server_api.imaging.map_names import FileRole, read_name
from server_api.store.material_entities import GroupedMap, MaterialGroup, role_order


def group_files(paths: Iterable[str]) -> list[MaterialGroup]:
    """Material groups among ``paths`` (absolute paths), in folder and name order."""
    by_stem: dict[tuple[str, str], list[tuple[str, FileRole]]] = defaultdict(list)
    for path in sorted(set(paths)):
        reading = read_name(path)
        if reading.role is not None:
            by_stem[(str(PurePath(path).parent), reading.stem_key)].append((path, reading))
    groups: list[MaterialGroup] = []
    for (folder, stem_key), files in sorted(by_stem.items()):
        for signature, members in _split_repeated_maps(files):
            groups.append(_group(folder, stem_key, signature, members))
    return groups


def _split_repeated_maps(files: list[tuple[str, FileRole]]):
    """[(signature or None, files)]: one part, or one per resolution when a map repeats across
    resolutions (a 2K and a 4K set in one folder). Repeats at one resolution (Poliigon's NRM and
    NRM16, COL_VAR1 and COL_VAR2) are alternatives of one material and stay together."""
    slots = [(r.role, r.normal_convention) for _, r in files]
    if len(slots) == len(set(slots)):
        return [(None, files)]
    parts: dict[tuple[str, ...], list[tuple[str, FileRole]]] = defaultdict(list)
    for path, reading in files:
        parts[reading.resolution].append((path, reading))
    if len(parts) == 1:
        return [(None, files)]
    return sorted(parts.items())


def _group(folder: str, stem_key: str, signature, members: list[tuple[str, FileRole]]) -> MaterialGroup:
    first = members[0][1]
    if first.stem:
        name = first.base[first.stem[0].start : first.stem[-1].end]
        why = f"{len(members)} files in {folder} share the stem {name!r}"
    else:
        name = os.path.basename(folder) or folder
        why = f"{len(members)} files in {folder} have bare role names: the folder names the material"
    key = f"{folder}\x00{stem_key}"
    if signature is not None:
        shown = " ".join(t.text for t in first.qualifiers if t.low in signature) or "no resolution"
        name = f"{name} {shown}"
        key += "\x00" + " ".join(signature)
        why += f"; the same map came more than once, so one material per {shown!r}"
    maps = sorted(
        (GroupedMap(path, r.role, r.normal_convention, r.why) for path, r in members),
        key=lambda m: (role_order(m.role), m.normal_convention or "", m.original_path),
    )
    return MaterialGroup(key=key, name=name, maps=tuple(maps), why=why)
