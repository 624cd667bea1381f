"""After an import: group what landed into materials, per folder, in ONE store call.

Runs after any import (CLI, desktop, server clients), never inside it, so the import decision stays
the import's own. The names of the other files in each folder on disk take part, so a map imported
on its own later still joins its set. What becomes a material is the store's rule
(VaultStore.group_textures): corrections the user made are never undone here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from server_api.store.base import VaultStore
from server_api.store.entities import ImportResult
from server_api.store.material_entities import Material
from server_api.workflows.grouping import group_files


def group_imported(store: VaultStore, collection_id: int, results: Iterable[ImportResult]) -> list[Material]:
    """The materials the import made or changed (one material version each, at most)."""
    landed = [r for r in results if r.status != "rejected" and r.texture_id is not None]
    if not landed:
        return []
    imported = {r.path for r in landed}
    seen = set(imported)
    for folder in {os.path.dirname(path) for path in imported}:
        seen.update(_files_in(folder))
    groups = [g for g in group_files(seen) if any(m.original_path in imported for m in g.maps)]
    changed = sorted({r.texture_id for r in landed if r.status == "new_version"})
    if not groups and not changed:
        return []
    return store.group_textures(collection_id, groups, changed)


def _files_in(folder: str) -> list[str]:
    """Visible files of a folder; nothing when it vanished meanwhile."""
    try:
        with os.scandir(folder) as entries:
            return [e.path for e in entries if not e.name.startswith(".") and e.is_file()]
    except OSError:
        return []
