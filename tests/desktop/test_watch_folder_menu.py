"""Collection ▸ Watch folder… in a real window over a real local vault: files exported into the
folder in stages land as tiles, the status bar says what was picked up, Stop watching ends it."""

from __future__ import annotations

import time

from corpus import write_image
from desktop_helpers import open_collection
from PySide6.QtWidgets import QFileDialog


def test_watching_a_folder_from_the_collection_menu(qtbot, window, local_store, tmp_path, monkeypatch):
    collection = local_store.create_collection("Exports")
    open_collection(qtbot, window, local_store.get_collection(collection.id))
    folder = tmp_path / "exports"
    folder.mkdir()
    window.watch_folder.settle = 0.5
    menu = window.context.menu("Collection")
    watch_action = next(a for a in menu.actions() if a.text() == "&Watch folder…")
    assert watch_action.isEnabled()
    # the folder dialog answers as the user would
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    watch_action.trigger()
    qtbot.waitUntil(lambda: "watching" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.watch_folder.stop_action.isEnabled()

    for i, role in enumerate(("Color", "Normal")):
        write_image(folder / f"Slate_{role}.png", seed=i)
        time.sleep(0.2)  # the second map lands while the first settles: one batch
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2, timeout=15_000)
    message = window.statusBar().currentMessage()
    assert message.startswith("Watch folder: 2 added") and "material 'Slate' v1" in message

    window.watch_folder.stop_action.trigger()
    assert "stopped watching" in window.statusBar().currentMessage()
    assert not window.watch_folder.stop_action.isEnabled()
    write_image(folder / "later.png", seed=9)
    qtbot.wait(1500)
    assert window.grid_model.rowCount() == 2  # no longer watched
