"""Files dropped on a tile become versions; dragging tiles out hands over real files."""

from __future__ import annotations

from corpus import write_image
from desktop_helpers import open_collection
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from server_api.workflows.importing import file_sha256, import_file


def drop_on(widget, pos: QPoint, paths) -> None:
    """What the OS delivers when files from a file manager are released over ``widget``."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def two_textures(qtbot, window, local_store, tmp_path):
    coll = local_store.create_collection("Tiles")
    files = [write_image(tmp_path / "art" / f"tile_{i}.png", seed=i) for i in range(2)]
    ids = [import_file(local_store, coll.id, f).texture_id for f in files]
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() == 2)
    return ids


def tile_center(window, row: int) -> QPoint:
    return window.grid.visualRect(window.grid_model.index(row)).center()


def test_a_file_dropped_on_a_texture_becomes_its_next_version(qtbot, window, local_store, tmp_path):
    ids = two_textures(qtbot, window, local_store, tmp_path)
    new_file = write_image(tmp_path / "painted.png", "png_rgba", (80, 80), seed=7)
    target_row = 1
    target_id = window.grid_model.row_at(target_row).texture_id
    drop_on(window.grid, tile_center(window, target_row), [new_file])
    qtbot.waitUntil(lambda: local_store.get_texture(target_id).version_count == 2, timeout=5000)
    texture = local_store.get_texture(target_id)
    assert texture.current.sha256 == file_sha256(new_file)
    other = [i for i in ids if i != target_id][0]
    assert local_store.get_texture(other).version_count == 1  # only the tile under the cursor
    qtbot.waitUntil(lambda: window.grid_model.row_at(target_row).version_id == texture.current.id)


def test_a_file_dropped_on_the_timeline_becomes_a_version(qtbot, window, local_store, tmp_path):
    ids = two_textures(qtbot, window, local_store, tmp_path)
    window.select_texture(ids[0])
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 1)
    drop_on(window.timeline.list, QPoint(20, 20), [write_image(tmp_path / "v2.png", seed=21)])
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 2, timeout=5000)
    assert window.timeline_model.version_at(0).is_current


def test_files_dropped_on_the_background_go_to_the_importer(qtbot, window, local_store, tmp_path):
    two_textures(qtbot, window, local_store, tmp_path)
    new_file = write_image(tmp_path / "new.png", seed=3)
    corner = QPoint(window.grid.viewport().width() - 5, window.grid.viewport().height() - 5)
    with qtbot.waitSignal(window.filesDropped) as got:
        drop_on(window.grid, corner, [new_file])
    assert got.args == [[str(new_file)]]


def test_a_corrupt_file_dropped_on_a_texture_is_refused_with_its_name(qtbot, window, local_store, tmp_path):
    from corpus import write_corrupt

    ids = two_textures(qtbot, window, local_store, tmp_path)
    bad = write_corrupt(tmp_path / "broken.png")
    drop_on(window.grid, tile_center(window, 0), [bad])
    qtbot.waitUntil(lambda: getattr(window, "last_message", None) is not None, timeout=5000)
    assert "Add version failed" in window.last_message.windowTitle()
    assert all(local_store.get_texture(i).version_count == 1 for i in ids)


def test_drag_out_gives_the_original_when_it_holds_the_current_bytes(qtbot, window, local_store, tmp_path):
    ids = two_textures(qtbot, window, local_store, tmp_path)
    window.select_texture(ids[0])
    window.grid.setCurrentIndex(window.grid_model.index(window.grid_model.row_of_texture(ids[0])))
    qtbot.waitUntil(lambda: window.drag_out.paths_for([ids[0]]) != [], timeout=5000)
    assert window.drag_out.paths_for([ids[0]]) == [local_store.get_texture(ids[0]).original_path]


def test_drag_out_exports_a_copy_when_the_original_changed(qtbot, window, local_store, tmp_path):
    ids = two_textures(qtbot, window, local_store, tmp_path)
    texture = local_store.get_texture(ids[1])
    write_image(texture.original_path, seed=55)  # the artist kept painting; the vault has older bytes
    window.grid.setCurrentIndex(window.grid_model.index(window.grid_model.row_of_texture(ids[1])))
    qtbot.waitUntil(lambda: window.drag_out.paths_for([ids[1]]) != [], timeout=5000)
    [path] = window.drag_out.paths_for([ids[1]])
    assert path != texture.original_path and path.endswith("tile_1.png")
    assert file_sha256(path) == texture.current.sha256
