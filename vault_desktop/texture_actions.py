"""What the artist does to textures: new versions, make current, publish, save as, delete, compare.

Each action asks first where it must (publish shows the path, delete names what goes), then runs
its store call on the write lane and refreshes what changed when the answer comes back.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from server_api.store.entities import PublishResult, Version
from server_api.workflows.publishing import publish
from vault_desktop.compare.dialog import CompareDialog

CHUNK = 1 << 20


def add_files_as_versions(store, texture_id: int, paths: list[str]) -> list[Version]:
    """Worker job: each file becomes the next version, in the order given."""
    return [store.add_version(texture_id, p, note=f"from {Path(p).name}") for p in paths]


def save_version_bytes(store, version_id: int, target: str) -> str:
    """Worker job: copy a version's bytes to ``target`` through a temp file (never half a file)."""
    temp = f"{target}.part"
    with store.open_version(version_id) as src, open(temp, "wb") as out:
        shutil.copyfileobj(src, out, CHUNK)
    os.replace(temp, target)
    return target


class TextureActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.w = window

    # ---- confirmations (QMessageBox.exec so tests can answer them like a user) ---------------
    def confirm(self, title: str, text: str, ok_label: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, self.w)
        ok = box.addButton(ok_label, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(ok)
        box.exec()
        return box.clickedButton() is ok

    def _write(self, fn, *args, action: str, on_done):
        store = self.w.store
        return self.w.lanes.writes.submit(
            fn, store, *args,
            on_done=lambda res: on_done(res) if store is self.w.store else None,
            on_error=lambda exc: self.w.report_error(exc, action))

    # ---- versions ---------------------------------------------------------------------------
    def add_versions(self, texture_id: int, paths: list[str]) -> None:
        files = [p for p in paths if os.path.isfile(p)]
        if not files:
            self.w.show_message("Add version failed", "Drop image files, not folders.",
                                QMessageBox.Icon.Warning)
            return
        if not self.w.can_write():
            self.w.show_message("Add version failed", "Your level in this collection is read only.",
                                QMessageBox.Icon.Warning)
            return
        self.w.statusBar().showMessage(f"Adding {len(files)} new version(s)…")

        def done(versions: list[Version]) -> None:
            self.w.statusBar().showMessage(f"Added v{versions[-1].number}", 5000)
            self.w.reload_texture(texture_id)

        self._write(add_files_as_versions, texture_id, files, action="Add version", on_done=done)

    def make_current(self, version: Version) -> None:
        def done(texture) -> None:
            self.w.statusBar().showMessage(f"v{version.number} is now current", 5000)
            self.w.reload_texture(texture.id)

        self._write(lambda s: s.set_current_version(version.texture_id, version.id),
                    action="Make current", on_done=done)

    def publish_current(self) -> None:
        texture = self.w.current_texture()
        if texture is None:
            return
        text = (f"Write v{texture.current.number} of “{texture.name}” to\n\n{texture.original_path}\n\n"
                "The file there is replaced in one step; bytes the vault does not have yet are kept "
                "as a version first.")
        if not self.confirm("Publish current version", text, "Publish"):
            return

        def done(result: PublishResult) -> None:
            kept = (f" (the replaced file was kept as v{result.kept_version.number})"
                    if result.kept_version else "")
            self.w.statusBar().showMessage(f"Published v{result.version.number} to {result.path}{kept}", 8000)
            self.w.reload_texture(result.texture_id)

        self._write(lambda s: publish(s, texture.id), action="Publish", on_done=done)

    def save_version_as(self, version: Version) -> None:
        texture = self.w.current_texture()
        original = Path(texture.original_path)
        suggested = original.with_stem(f"{original.stem}_v{version.number}")
        target, _ = QFileDialog.getSaveFileName(self.w, f"Save v{version.number} as", str(suggested))
        if target:
            self.save_version_to(version, target)

    def save_version_to(self, version: Version, target: str) -> None:
        self._write(save_version_bytes, version.id, target, action="Save as",
                    on_done=lambda path: self.w.statusBar().showMessage(f"Saved {path}", 5000))

    def compare(self, older: Version, newer: Version) -> CompareDialog:
        dialog = CompareDialog(self.w.store, self.w.lanes.reads, older, newer, self.w)
        dialog.failed.connect(lambda exc: self.w.report_error(exc, "Compare"))
        dialog.show()
        self.w.last_compare = dialog
        return dialog

    # ---- deleting ---------------------------------------------------------------------------
    def delete_selected(self) -> None:
        ids = self.w.grid.selected_texture_ids()
        if not ids or not self.w.can_write():
            return
        first = self.w.grid_model.row_at(self.w.grid_model.row_of_texture(ids[0]) or 0)
        what = f"“{first.name}”" if len(ids) == 1 and first else f"{len(ids):,} textures"
        if not self.confirm("Delete textures", f"Delete {what} and all their versions from the vault?\n"
                            "Files on your disk are not touched.", "Delete"):
            return

        def delete_all(store):
            for texture_id in ids:
                store.delete_texture(texture_id)
            return len(ids)

        def done(n: int) -> None:
            self.w.statusBar().showMessage(f"Deleted {n:,} texture(s)", 5000)
            self.w.refresh_textures()
            self.w.refresh_collections()

        self._write(delete_all, action="Delete", on_done=done)
