"""Keyboard: arrows/Home/End, Enter opens details, Ctrl+F filter, Delete asks first, Ctrl+= / Ctrl+- zoom."""

from __future__ import annotations

import pytest
from corpus import write_image
from desktop_helpers import answer_next_dialog, bulk_textures, open_collection
from PySide6.QtCore import Qt


@pytest.fixture
def grid_with_12(qtbot, window, local_store, tmp_path):
    coll = local_store.create_collection("Metal")
    bulk_textures(local_store, coll.id, 12, write_image(tmp_path / "metal.png"), prefix="metal")
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() == 12)
    window.activateWindow()
    window.grid.setFocus()
    window.grid.setCurrentIndex(window.grid_model.index(0))
    return coll


def test_arrows_home_end_move_through_the_grid(qtbot, window, grid_with_12):
    qtbot.keyClick(window.grid, Qt.Key.Key_Right)
    assert window.grid.currentIndex().row() == 1
    qtbot.keyClick(window.grid, Qt.Key.Key_End)
    assert window.grid.currentIndex().row() == 11
    qtbot.keyClick(window.grid, Qt.Key.Key_Home)
    assert window.grid.currentIndex().row() == 0
    qtbot.waitUntil(lambda: window.detail.text_of("Name") == "metal_000000.png")


def test_enter_opens_the_details(qtbot, window, grid_with_12):
    window.side_tabs.setCurrentWidget(window.timeline)
    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    assert window.side_tabs.currentWidget() is window.detail_scroll


def test_ctrl_f_focuses_the_filter(qtbot, window, grid_with_12):
    qtbot.keyClick(window.grid, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_bar.text.hasFocus()
    qtbot.keyClicks(window.filter_bar.text, "metal_00001")
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2 and window.grid_model.is_complete())


def test_zoom_keys_change_the_tile_size_and_it_is_remembered(qtbot, window, grid_with_12):
    before = window.grid.zoom()
    qtbot.keyClick(window.grid, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.grid.zoom() == before + 32
    assert window.filter_bar.zoom.value() == before + 32
    qtbot.keyClick(window.grid, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.grid, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.grid.zoom() == before - 32
    assert window.settings.zoom() == before - 32


def test_delete_asks_and_then_deletes(qtbot, window, local_store, grid_with_12):
    seen_cancel: list[str] = []
    answer_next_dialog("Cancel", seen_cancel)
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    assert seen_cancel, "Delete must ask first"
    qtbot.wait(100)
    assert local_store.count_textures(grid_with_12.id) == 12
    window.activateWindow()  # focus returns to the window after the dialog, as on a desktop
    qtbot.waitUntil(window.isActiveWindow)
    seen: list[str] = []
    answer_next_dialog("Delete", seen)
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    assert "metal_000000.png" in seen[0]
    model = window.grid_model
    qtbot.waitUntil(lambda: model.rowCount() == 11 and model.is_complete(), timeout=5000)
    assert local_store.count_textures(grid_with_12.id) == 11
