"""Find similar and Search by colour show their results nearest first (issue 14), each tile with its
distance, until the user picks another sort: real widgets over a real local vault."""

from __future__ import annotations

from desktop_helpers import open_collection
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from similar_images import EDITS, picture, write

from server_api.workflows.importing import import_paths
from vault_desktop.models.texture_grid import SubtitleRole

# Name order is the reverse of nearness to #c81e1e, so a grid sorted by name cannot pass for ranked.
REDS = {"a_far.png": (190, 45, 40), "b_mid.png": (200, 34, 30), "c_exact.png": (200, 30, 30)}


def _two_tone(main) -> Image.Image:
    im = Image.new("RGB", (96, 96), main)
    im.paste((235, 235, 235), (0, 0, 96, 16))
    return im


def shown(window) -> list[str]:
    model = window.grid_model
    return [model.row_at(r).name for r in range(model.loaded_count())]


def test_colour_and_similar_results_come_nearest_first_until_another_sort(qtbot, window, local_store,
                                                                         tmp_path):
    collection = local_store.create_collection("Reds")
    stones = picture(2, 384)
    files = {**{name: _two_tone(rgb) for name, rgb in REDS.items()},
             "stones.png": stones, "stones_bright.png": EDITS["brightened"](stones),
             "stones_small.png": EDITS["resized"](stones), "other.png": picture(6, 384)}
    import_paths(local_store, collection.id, [str(write(im, tmp_path / name)) for name, im in files.items()])
    open_collection(qtbot, window, local_store.get_collection(collection.id))
    qtbot.waitUntil(lambda: len(shown(window)) == len(files), timeout=10_000)
    bar, model = window.filter_bar, window.grid_model

    window.similar.search_colour(QColor(200, 30, 30))
    assert bar.sort.currentText() == "Sort: nearest"
    qtbot.waitUntil(lambda: shown(window) == ["c_exact.png", "b_mid.png", "a_far.png"], timeout=10_000)
    distances = [model.row_at(r).distance for r in range(3)]
    assert distances == sorted(distances) and distances[0] < 1
    first = model.index(0)
    assert model.data(first, SubtitleRole).startswith("Δ ")
    assert "Distance:" in model.data(first, Qt.ItemDataRole.ToolTipRole)

    bar.sort.setCurrentText("Sort: name")  # the user's choice wins from now on
    qtbot.waitUntil(lambda: shown(window) == ["a_far.png", "b_mid.png", "c_exact.png"], timeout=10_000)
    assert model.row_at(0).distance is None and "Distance:" not in model.data(
        model.index(0), Qt.ItemDataRole.ToolTipRole)
    window.similar.search_colour(QColor(200, 30, 30))  # a new colour search ranks again
    qtbot.waitUntil(lambda: shown(window) == ["c_exact.png", "b_mid.png", "a_far.png"], timeout=10_000)

    original = next(t for t in local_store.list_textures(collection.id).items if t.name == "stones.png")
    window.similar.find_similar(original.id)
    assert bar.sort.currentText() == "Sort: nearest" and bar.everywhere.isChecked()
    qtbot.waitUntil(lambda: {"stones_bright.png", "stones_small.png"} <= set(shown(window)), timeout=10_000)
    ranked = [model.row_at(r) for r in range(model.loaded_count())]
    assert "stones.png" not in [row.name for row in ranked]
    assert [row.distance for row in ranked] == sorted(row.distance for row in ranked)
    assert ranked[0].name in ("stones_bright.png", "stones_small.png")
