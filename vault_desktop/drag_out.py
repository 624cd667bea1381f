"""Files handed out when tiles are dragged to a file manager or a 3D app.

The original path when the file there holds the current version's bytes; otherwise an exported
copy under the cache dir (``exports/<sha256>/<name>``). Checking (hashing) and exporting happen off
the GUI thread as soon as a texture is selected, so the drag itself never waits on the store.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from server_api.core import appdirs
from server_api.store.entities import Texture
from server_api.workflows.importing import file_sha256

CHUNK = 1 << 20


def safe_file_name(name: str, fallback: str) -> str:
    """A file name without folders or characters file managers choke on."""
    base = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", Path(name).name).strip(" .")
    return base or fallback


def holds_bytes(path: str, size: int, sha256: str) -> bool:
    try:
        return os.path.getsize(path) == size and file_sha256(path) == sha256
    except OSError:
        return False


def export_path(store, texture: Texture) -> str:
    """Worker job: the file to hand out for ``texture``'s current version."""
    v = texture.current
    if holds_bytes(texture.original_path, v.byte_size, v.sha256):
        return texture.original_path
    folder = appdirs.cache_dir() / "exports" / v.sha256
    target = folder / safe_file_name(texture.name, f"texture-{texture.id}")
    if target.is_file() and target.stat().st_size == v.byte_size:
        return str(target)
    folder.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.part")
    with store.open_version(v.id) as src, open(temp, "wb") as out:
        shutil.copyfileobj(src, out, CHUNK)
    os.replace(temp, target)  # a half-written export is never handed out
    return str(target)


def export_for(store, texture_id: int) -> tuple[int, str]:
    """Worker job: (current version id, file to hand out) for one texture."""
    texture = store.get_texture(texture_id)
    return texture.current.id, export_path(store, texture)


class DragOut:
    """Prepares drag files for the selected textures and hands them out when a drag starts."""

    MAX_PREPARED = 50  # selecting 100,000 tiles must not export 100,000 files

    def __init__(self, context, grid_model):
        self._context = context  # WindowContext: the store, the read lane, status and errors
        self._grid_model = grid_model
        self._ready: dict[int, tuple[int, str]] = {}  # texture id → (version id, file)
        self._pending: set[int] = set()

    def prepare(self, texture_ids: list[int]) -> None:
        store = self._context.store
        if store is None:
            return
        for texture_id in texture_ids[: self.MAX_PREPARED]:
            if texture_id in self._pending or self._is_fresh(texture_id):
                continue
            self._pending.add(texture_id)
            self._context.lanes.reads.submit(
                export_for, store, texture_id,
                on_done=lambda res, t=texture_id, s=store: self._prepared(s, t, res),
                on_error=lambda exc, t=texture_id: self._failed(t, exc),
            )

    def paths_for(self, texture_ids: list[int]) -> list[str]:
        """Prepared files for the dragged textures (those still preparing are left out)."""
        found = [self._ready[t][1] for t in texture_ids if self._is_fresh(t)]
        if len(found) < len(texture_ids):
            self._context.status("Some files are still being prepared for dragging…", 4000)
            self.prepare(texture_ids)
        return found

    def forget(self) -> None:
        self._ready.clear()
        self._pending.clear()

    def _is_fresh(self, texture_id: int) -> bool:
        """Prepared for the version the grid shows as current (a newer version needs a new file)."""
        prepared = self._ready.get(texture_id)
        row = self._grid_model.row_of_texture(texture_id)
        grid_row = self._grid_model.row_at(row) if row is not None else None
        return prepared is not None and (grid_row is None or grid_row.version_id == prepared[0])

    def _prepared(self, store, texture_id: int, result: tuple[int, str]) -> None:
        self._pending.discard(texture_id)
        if store is self._context.store:
            self._ready[texture_id] = result

    def _failed(self, texture_id: int, exc: BaseException) -> None:
        self._pending.discard(texture_id)
        self._context.report_error(exc)
