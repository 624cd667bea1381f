"""The viewer as an artist uses it: real textures in a real local vault, real Qt widgets, tiles
rendered on a real reads lane."""

from __future__ import annotations

import numpy as np
import pytest
import texture_files as tf
from PySide6.QtCore import QPoint, QPointF, Qt

from server_api.workflows.importing import import_file
from vault_desktop.tasks import TaskRunner
from vault_desktop.viewer import ViewerItem, open_viewer


@pytest.fixture
def textures(local_store, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    alpha = np.clip(tf.seamless(192, 128, 1)[:, :, 0] * 1.5 - 0.3, 0, 1)
    tf.save_png(src / "a_rock_albedo.png", tf.hard_edge(192, 128), alpha=alpha)
    tf.save_png(src / "b_rock_nor_dx.png", tf.normal_map(128, 128), bits=16)
    tf.save_png(src / "c_tiles_seamless.png", tf.seamless(1300, 700))
    collection = local_store.create_collection("Viewer")
    results = [import_file(local_store, collection.id, str(p)) for p in sorted(src.iterdir())]
    assert all(r.status == "added" for r in results), results
    return [local_store.get_texture(r.texture_id) for r in results]


@pytest.fixture
def viewer(qtbot, local_store, textures):
    runner = TaskRunner(2)
    w = open_viewer(local_store, runner, [ViewerItem.of_version(t.current, t.name) for t in textures], 0)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        pass
    yield w
    w.close()
    runner.wait(10_000)
    qtbot.wait(20)  # deliver what the workers finished, while the window still exists


def _settle(qtbot, viewer):
    viewer.canvas.repaint()
    qtbot.waitUntil(lambda: viewer.tiles.pending_count() == 0, timeout=10_000)
    viewer.canvas.repaint()


def test_opens_with_seam_score_alpha_checkerboard_and_histogram(qtbot, viewer):
    assert viewer.texture.pixels.channels == "RGBA"
    assert viewer.texture.seam.worst() >= 2 and "visible seam" in viewer.seam_label.text()
    assert viewer.canvas.checker and viewer.histogram.histogram.channels == "RGBA"
    assert "Not a normal map" in viewer.normal_label.text()
    _settle(qtbot, viewer)
    keys = viewer.canvas.visible_keys()
    assert keys and all(viewer.tiles.is_fresh(k) for k in keys)


def test_colour_space_is_shown_with_its_reason(qtbot, viewer):
    """a_rock_albedo.png says nothing in its header: its role decides (sRGB). The 16-bit normal map
    was written by OpenImageIO, which puts an sRGB chunk in every PNG: the file's word wins (the
    mistake QA rules are to flag). c_tiles_seamless.png says nothing and names no role."""
    assert viewer.colour_label.text() == ("Colour space: sRGB (a base color map is colour; the file names "
                                          "no colour space)")
    with qtbot.waitSignal(viewer.loaded, timeout=10_000):
        viewer.step(1)
    assert viewer.colour_label.text() == "Colour space: sRGB (PNG sRGB chunk)"
    with qtbot.waitSignal(viewer.loaded, timeout=10_000):
        viewer.step(1)
    assert viewer.colour_label.text() == "Colour space: unknown (the file names no colour space)"


def test_keyboard_tiling_channels_and_navigation(qtbot, viewer):
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_3)
    assert viewer.canvas.repeat == 3 and viewer.repeat_group.checkedId() == 3
    _settle(qtbot, viewer)
    image = viewer.canvas.grab().toImage()
    w, h = viewer.canvas.image_size
    seam = viewer.canvas.to_plane(QPointF(0, 0))  # find the screen x of the first vertical seam line
    x = round((w - seam.x()) * viewer.canvas.scale)
    y = viewer.canvas.height() // 2
    assert image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).green() < 120  # red: visible seam
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_A)
    assert viewer.display_settings().channel == "A" and not viewer.canvas.checker
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_A)
    assert viewer.display_settings().channel == "RGB"
    with qtbot.waitSignal(viewer.loaded, timeout=10_000):
        qtbot.keyClick(viewer.canvas, Qt.Key.Key_Right)
    assert viewer.index == 1 and viewer.texture.pixels.array.dtype == np.uint16
    assert "Normal map" in viewer.normal_label.text() and "DirectX" in viewer.normal_label.text()
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_Left)
    assert viewer.index == 0
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_Left)  # the first stays first
    assert viewer.index == 0
    qtbot.keyClick(viewer.canvas, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_readout_shows_stored_16_bit_values(qtbot, viewer):
    with qtbot.waitSignal(viewer.loaded, timeout=10_000):
        viewer.step(1)
    viewer.canvas.fit()
    centre = QPoint(viewer.canvas.width() // 2, viewer.canvas.height() // 2)
    qtbot.mouseMove(viewer.canvas, centre)
    x, y = viewer.canvas.texture_pixel(QPointF(centre))
    stored = viewer.texture.pixels.array[y, x]
    assert f"x {x}, y {y}" in viewer.readout.text()
    assert f"G {int(stored[1])}" in viewer.readout.text() and int(stored[2]) > 255  # 16-bit, not 8


def test_zoom_about_cursor_pan_and_full_resolution_level(qtbot, viewer):
    with qtbot.waitSignal(viewer.loaded, timeout=10_000):
        viewer.step(2)  # 1300×700: several tiles at 100%
    canvas = viewer.canvas
    canvas.resize(500, 300)
    canvas.fit()
    assert canvas.scale < 0.5 and canvas.level() >= 1  # fitted: a coarser level
    anchor = QPointF(100, 80)
    before = canvas.to_plane(anchor)
    canvas.zoom_at(anchor, 4.0)
    after = canvas.to_plane(anchor)
    assert abs(before.x() - after.x()) < 1e-6 and abs(before.y() - after.y()) < 1e-6
    canvas.actual_size()
    assert canvas.level() == 0
    _settle(qtbot, viewer)
    start = QPointF(canvas.center)
    canvas.pan(200, -50)
    assert canvas.center.x() == start.x() - 200 and canvas.center.y() == start.y() + 50
    _settle(qtbot, viewer)
    assert all(viewer.tiles.is_fresh(k) and k[0] == 0 for k in canvas.visible_keys())


def test_changed_settings_replace_tiles_and_old_results_are_dropped(qtbot, viewer):
    _settle(qtbot, viewer)
    key = viewer.canvas.visible_keys()[0]
    before = viewer.tiles.tile(key).pixelColor(5, 5)
    viewer.set_channel("R")
    assert not viewer.tiles.is_fresh(key) and viewer.tiles.tile(key) is not None  # old tile still drawn
    _settle(qtbot, viewer)
    after = viewer.tiles.tile(key).pixelColor(5, 5)
    assert viewer.tiles.is_fresh(key) and after.red() == after.green() == after.blue() != before.green()


def test_broken_bytes_say_why_and_the_next_texture_still_opens(qtbot, local_store, textures, tmp_path):
    blob = local_store.content.blobs.path_for(textures[0].current.sha256)
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes()[:200])  # damaged on disk after import
    runner = TaskRunner(2)
    w = open_viewer(local_store, runner, [ViewerItem.of_version(t.current, t.name) for t in textures], 0)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.failed, timeout=10_000):
        pass
    assert "Could not decode" in w.seam_label.text() and "a_rock_albedo.png" in w.seam_label.text()
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        w.step(1)
    w.close()
    runner.wait(10_000)


def test_an_empty_list_is_refused(qtbot, local_store):
    with pytest.raises(ValueError, match="at least one"):
        open_viewer(local_store, TaskRunner(1), [])


def test_space_and_double_click_open_the_viewer_from_the_grid_and_the_timeline(qtbot, window, local_store,
                                                                              textures):
    from desktop_helpers import open_collection

    open_collection(qtbot, window, local_store.get_collection(textures[0].collection_id))
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() == 3, timeout=10_000)
    window.grid.setCurrentIndex(window.grid_model.index(1))
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Space)
    viewer = window.viewer.window
    assert viewer is not None and viewer.index == 1 and len(viewer.items) == 3
    with qtbot.waitSignal(viewer.loaded, timeout=10_000):
        pass
    assert viewer.texture.version_id == textures[1].current.id
    with qtbot.waitSignal(viewer.loaded, timeout=10_000):
        qtbot.keyClick(viewer.canvas, Qt.Key.Key_Right)  # the next tile of the grid
    assert viewer.texture.version_id == textures[2].current.id
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 1, timeout=10_000)
    window.side_tabs.setCurrentWidget(window.timeline)
    rect = window.timeline.list.visualRect(window.timeline_model.index(0))
    qtbot.mouseClick(window.timeline.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.timeline.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.viewer.window is not viewer and window.viewer.window.items[0].version_id == \
        window.timeline_model.version_at(0).id
    with qtbot.waitSignal(window.viewer.window.loaded, timeout=10_000):
        pass
    window.viewer.window.close()
