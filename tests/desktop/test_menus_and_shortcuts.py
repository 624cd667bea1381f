"""Menus in the order people expect, a shortcuts dialog that lists every shortcut (and the README
the same), the tile's context menu doing each of its things, and undo for delete."""

from __future__ import annotations

import re
from pathlib import Path

from corpus import write_image
from desktop_helpers import answer_next_dialog, open_collection
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from server_api.workflows.importing import import_file
from vault_desktop.window_menus import shortcut_rows

README = Path(__file__).resolve().parents[2] / "README.md"


def texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_quit_is_last_in_file_and_undo_first_in_edit(window):
    file_items = texts(window.menu("File"))
    assert file_items[-1] == "Quit" and "Server admin…" in file_items
    assert texts(window.menu("Edit"))[0] == "Undo delete"


def test_the_shortcuts_dialog_lists_every_shortcut_and_the_readme_the_same(qtbot, window):
    rows = shortcut_rows(window.context)
    keys = {k for k, _what in rows}
    for wanted in ("Ctrl+Shift+N", "F2", "Ctrl+Shift+O", "Ctrl+A", "Ctrl+Q", "Ctrl+Z", "Ctrl+P", "F5", "Del"):
        assert wanted in keys, wanted
    help_action = next(a for a in window.menu("Help").actions() if "shortcuts" in a.text())
    help_action.trigger()
    box = window.last_message
    assert isinstance(box, QMessageBox)
    for k, what in rows:
        assert f"<b>{k}</b>" in box.text() and what in box.text()
    box.close()
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| keys | what |") + 2  # after the header and its --- line
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    assert [tuple(re.match(r"^\| (.+?) \| (.+?) \|$", line).groups()) for line in lines[start:end]] == rows


def seed(local_store, tmp_path):
    coll = local_store.create_collection("Props")
    ids = [import_file(local_store, coll.id, write_image(tmp_path / "art" / f"{n}.png", seed=i)).texture_id
           for i, n in enumerate(["crate_albedo", "crate_normal", "crate_rough"])]
    return local_store.get_collection(coll.id), ids


def menu_for(qtbot, window, texture_id):
    window.select_texture(texture_id)
    qtbot.waitUntil(lambda: getattr(window.current_texture(), "id", None) == texture_id)
    rect = window.grid.visualRect(window.grid_model.index(window.grid_model.row_of_texture(texture_id)))
    return window.tile_menu.menu_at(rect.center())


def test_the_tile_menu_offers_everything_and_each_item_works(qtbot, window, local_store, tmp_path):
    coll, ids = seed(local_store, tmp_path)
    open_collection(qtbot, window, coll)
    menu = menu_for(qtbot, window, ids[1])
    assert texts(menu) == ["Open in viewer", "Show in timeline", "Compare with…", "Find similar",
                           "Publish current version…",
                           "Save as…", "Copy path", "Reveal in file manager", "Delete textures…"]
    assert all(a.isEnabled() for a in menu.actions() if not a.isSeparator())
    background = window.tile_menu.menu_at(window.grid.viewport().rect().bottomRight())
    assert not any(a.isEnabled() for a in background.actions()
                   if a.text().replace("&", "") in ("Open in viewer", "Copy path", "Save as…"))
    menu = menu_for(qtbot, window, ids[1])

    window.tile_menu.copy_action.trigger()  # (the offscreen platform keeps no clipboard: checked on X11)
    assert window.statusBar().currentMessage() == f"Copied {tmp_path / 'art' / 'crate_normal.png'}"
    window.tile_menu.timeline_action.trigger()
    assert window.side_tabs.currentWidget() is window.timeline
    window.tile_menu.view_action.trigger()
    qtbot.waitUntil(lambda: window.viewer.window is not None and window.viewer.window.isVisible())
    window.viewer.window.close()

    saved = tmp_path / "out" / "copy.png"
    saved.parent.mkdir()
    window.tile_menu.saveAsRequested.disconnect()  # the file dialog is the OS's; save straight to a path
    window.tile_menu.saveAsRequested.connect(lambda v: window.versions.save_version_to(v, str(saved)))
    window.tile_menu.save_action.trigger()
    qtbot.waitUntil(saved.exists)
    assert saved.read_bytes() == (tmp_path / "art" / "crate_normal.png").read_bytes()

    # Compare with…: the next tile clicked is the other side.
    window.tile_menu.compare_action.trigger()
    other = window.grid.visualRect(window.grid_model.index(window.grid_model.row_of_texture(ids[2])))
    qtbot.mouseClick(window.grid.viewport(), Qt.MouseButton.LeftButton, pos=other.center())
    qtbot.waitUntil(lambda: window.compare.last_dialog is not None)
    versions = local_store.get_texture(ids[1]).current, local_store.get_texture(ids[2]).current
    dialog = window.compare.last_dialog
    assert {dialog.older.id, dialog.newer.id} == {v.id for v in versions}
    dialog.close()


def test_delete_then_undo_brings_the_texture_back_with_its_versions(qtbot, window, local_store, tmp_path):
    coll, ids = seed(local_store, tmp_path)
    local_store.add_version(ids[0], str(write_image(tmp_path / "v2.png", seed=9)))
    open_collection(qtbot, window, coll)
    window.select_texture(ids[0])
    qtbot.waitUntil(lambda: getattr(window.current_texture(), "id", None) == ids[0])
    undo = window.trash.undo_action
    assert not undo.isEnabled()

    answer_next_dialog("Delete")
    window.textures.delete_action.trigger()
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2)
    assert undo.isEnabled() and undo.text().replace("&", "") == "Undo delete of 1 texture"
    undo.trigger()
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 3)
    assert [v.number for v in local_store.list_versions(ids[0])] == [2, 1]
    assert not undo.isEnabled()


def test_the_trash_dialog_restores_and_empties(qtbot, window, local_store, tmp_path):
    coll, ids = seed(local_store, tmp_path)
    for texture_id in ids[:2]:
        local_store.delete_texture(texture_id)
    open_collection(qtbot, window, coll)
    dialog = window.trash.open_trash()
    qtbot.waitUntil(lambda: dialog.loaded and dialog.model.rowCount() == 2)
    assert not dialog.restore.isEnabled() and dialog.empty.isEnabled()
    dialog.view.selectRow(0)
    restored_name = dialog.model.index(0, 0).data()
    dialog.restore.click()
    qtbot.waitUntil(lambda: dialog.loaded and dialog.model.rowCount() == 1)
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2)
    assert restored_name in {window.grid_model.row_at(r).name for r in range(2)}
    dialog.empty_trash(confirmed=True)
    qtbot.waitUntil(lambda: dialog.loaded and dialog.model.rowCount() == 0)
    assert local_store.list_trash(coll.id) == [] and dialog.status.text() == "The trash is empty."
    dialog.grab().save(str(tmp_path / "trash.png"))
