"""Auto-tags on import: the names of the folders between a dropped folder and a file become the
file's tags (``Textures/wood/oak/bark.png`` dropped as ``Textures`` → ``wood``, ``oak``). Off by
default: ``vault import --tag-folders`` and the upload pane's "Tag with folder names" turn it on.
Runs after the import, like material grouping, never inside it."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence

from server_api.store.base import VaultStore
from server_api.store.entities import ImportResult


def folder_tags(root: str, path: str) -> tuple[str, ...]:
    """The folder names from below ``root`` down to ``path``'s folder; nothing when ``path`` is not
    under ``root`` (a file dropped on its own) or sits right in it. Hidden folders are never
    walked, so they never become tags; names are used as written (the store trims and checks)."""
    root, folder = os.path.abspath(root), os.path.dirname(os.path.abspath(path))
    try:
        relative = os.path.relpath(folder, root)
    except ValueError:  # another drive (Windows)
        return ()
    if relative == os.curdir or relative.startswith(os.pardir):
        return ()
    names = [part.strip() for part in relative.split(os.sep)]
    return tuple(dict.fromkeys(n for n in names if n and "," not in n))  # a comma cannot be in a tag


def tags_for_results(roots: Sequence[str], results: Iterable[ImportResult]) -> dict[int, tuple[str, ...]]:
    """texture id → its folder tags, for the results that landed, each under the deepest root
    that holds it (roots are the folders given to the import; realpaths as import_paths makes)."""
    folders = sorted((os.path.realpath(r) for r in roots if os.path.isdir(r)), key=len, reverse=True)
    tags: dict[int, tuple[str, ...]] = {}
    for result in results:
        if result.status == "rejected" or result.texture_id is None:
            continue
        folder = os.path.dirname(result.path)
        root = next((f for f in folders if folder == f or folder.startswith(f.rstrip(os.sep) + os.sep)), None)
        found = folder_tags(root, result.path) if root else ()
        if found:
            tags[result.texture_id] = found
    return tags


def apply_folder_tags(store: VaultStore, tags: dict[int, tuple[str, ...]]) -> int:
    """Tag the textures, one store call per distinct set of names; how many textures got tags."""
    by_names: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for texture_id, names in tags.items():
        by_names[names].append(texture_id)
    for names, texture_ids in by_names.items():
        store.tag_textures(texture_ids, add=list(names))
    return len(tags)
