"""Helpers for desktop tests: open a collection, answer a dialog, make thousands of textures.

A module of its own (not conftest.py): ``from conftest import …`` resolves to whichever conftest
pytest loaded last, which differs between a full run and a run of a few chosen files.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from server_api.store.entities import ImageInfo


def open_collection(qtbot, window, collection) -> None:
    """Select ``collection`` in the sidebar and wait for its first page of tiles."""
    window.refresh_collections(select_id=collection.id)
    qtbot.waitUntil(lambda: window.current_collection() is not None
                    and window.current_collection().id == collection.id, timeout=10_000)
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() >= min(1, collection.texture_count)
                    or window.grid_model.is_complete(), timeout=10_000)


def answer_next_dialog(button_text: str, seen: list | None = None, attempts: int = 200) -> None:
    """Click ``button_text`` on the next modal dialog, like a user would; its text goes to ``seen``."""

    def poll(left=attempts):
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if left > 0:
                QTimer.singleShot(10, lambda: poll(left - 1))
            return
        if seen is not None:
            seen.append(dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle())
        for button in dialog.findChildren(QAbstractButton):
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} on {dialog.windowTitle()!r}")

    QTimer.singleShot(0, poll)


def bulk_textures(store, collection_id: int, count: int, source, prefix: str = "tex") -> list[int]:
    """``count`` textures through the store's bulk path (one shared image, varied metadata)."""
    from server_api.store.sql.bulk import BulkTexture

    formats = ("PNG", "JPEG", "TIFF", "TGA")
    items = [
        BulkTexture(
            original_path=f"/art/{prefix}_{i:06d}.png",
            info=ImageInfo(format=formats[i % 4], width=512 << (i % 3), height=512 << (i % 3),
                           mode="RGBA" if i % 2 else "RGB", bit_depth=16 if i % 5 == 0 else 8,
                           has_alpha=bool(i % 2), has_icc=False, orientation=None),
        )
        for i in range(count)
    ]
    return store.bulk_add_textures(collection_id, items, str(source))
