"""Find similar and Search by colour in the window, with real widgets over a real local vault:
the tile menu's *Find similar* searches every collection for the texture's look-alikes (never the
texture itself), and the filter bar's colour picker puts colour:#rrggbb in the box."""

from __future__ import annotations

from desktop_helpers import open_collection
from PIL import Image
from PySide6.QtGui import QColor
from similar_images import EDITS, picture, write

from server_api.workflows.importing import import_paths
from vault_desktop.controllers.similar_search import with_colour


def shown_names(window) -> set[str]:
    model = window.grid_model
    return {model.row_at(r).name for r in range(model.loaded_count())}


def seed(store, tmp_path):
    stones = picture(2, 384)
    red = Image.new("RGB", (64, 64), (200, 30, 30))
    sets = {"Castle": {"stones.png": stones, "stones_bright.png": EDITS["brightened"](stones),
                       "other.png": picture(6, 384), "red.png": red},
            "Forest": {"stones_crop.png": EDITS["cropped"](stones)}}
    made = {}
    for name, files in sets.items():
        collection = store.create_collection(name)
        (tmp_path / name).mkdir()
        import_paths(store, collection.id, [str(write(im, tmp_path / name / f)) for f, im in files.items()])
        made[name] = store.get_collection(collection.id)
    return made


def test_find_similar_from_the_tile_menu_and_search_by_colour(qtbot, window, local_store, tmp_path):
    made = seed(local_store, tmp_path)
    open_collection(qtbot, window, made["Castle"])
    qtbot.waitUntil(lambda: len(shown_names(window)) == 4, timeout=10_000)
    stones = next(t for t in local_store.list_textures(made["Castle"].id).items if t.name == "stones.png")
    window.select_texture(stones.id)
    qtbot.waitUntil(lambda: getattr(window.current_texture(), "id", None) == stones.id)
    rect = window.grid.visualRect(window.grid_model.index(window.grid_model.row_of_texture(stones.id)))
    menu = window.tile_menu.menu_at(rect.center())
    find = next(a for a in menu.actions() if a.text() == "Find &similar")
    assert find.isEnabled()
    find.trigger()
    bar = window.filter_bar
    assert bar.text.text() == f"similar:{stones.id}" and bar.everywhere.isChecked()
    qtbot.waitUntil(lambda: shown_names(window) == {"stones_bright.png", "stones_crop.png"}, timeout=10_000)
    background = window.tile_menu.menu_at(window.grid.viewport().rect().bottomRight())
    assert not next(a for a in background.actions() if a.text() == "Find &similar").isEnabled()

    bar.show_search("", everywhere=False)
    qtbot.waitUntil(lambda: len(shown_names(window)) == 4, timeout=10_000)
    bar.text.setText("-other")
    window.similar.colour_button.click()  # the picker opens without blocking the window
    dialog = window.similar.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.setCurrentColor(QColor(200, 30, 30))
    dialog.accept()
    assert bar.text.text() == "-other colour:#c81e1e"
    qtbot.waitUntil(lambda: shown_names(window) == {"red.png"}, timeout=10_000)
    window.similar.search_colour(QColor(0, 255, 0))  # a second colour replaces the first
    assert bar.text.text() == "-other colour:#00ff00"
    qtbot.waitUntil(lambda: shown_names(window) == set(), timeout=10_000)


def test_with_colour_keeps_the_other_terms():
    green = QColor(0, 128, 0)
    assert with_colour("", green) == "colour:#008000"
    assert with_colour("wood colour:#ffffff tag:bark", green) == "wood tag:bark colour:#008000"
    assert with_colour("wood -colour:#ffffff", green) == "wood -colour:#ffffff colour:#008000"
