"""The tag editor in the details panel: shows the texture's tags, Enter adds (completing from the
vault's tags), Backspace in the empty box removes the last; a reader sees tags but cannot edit."""

from __future__ import annotations

from corpus import write_image
from desktop_helpers import open_collection
from PySide6.QtCore import Qt

from server_api.workflows.importing import import_file


def test_enter_adds_backspace_removes_and_the_filter_finds_it(qtbot, window, local_store, tmp_path):
    coll = local_store.create_collection("Props")
    ids = [import_file(local_store, coll.id, write_image(tmp_path / n, seed=i)).texture_id
           for i, n in enumerate(("oak.png", "pine.png"))]
    local_store.tag_textures([ids[1]], add=["bark"])
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    editor = window.tags.editor
    window.select_texture(ids[0])
    qtbot.waitUntil(lambda: editor.isVisible() and editor.box.isEnabled())
    assert editor.tags == [] and editor.vocabulary.stringList() == ["bark"]

    for name in ("wood", "wip"):
        editor.box.setText(name)
        qtbot.keyClick(editor.box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda name=name: name in editor.tags)
    assert local_store.texture_tags(ids[0]) == ["wip", "wood"]
    qtbot.keyClick(editor.box, Qt.Key.Key_Backspace)  # the box is empty: the last tag goes
    qtbot.waitUntil(lambda: editor.tags == ["wip"])
    assert local_store.texture_tags(ids[0]) == ["wip"]

    window.filter_bar.text.setText("tag:bark OR tag:wip")
    window.filter_bar.flush()
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2)
    window.filter_bar.text.setText("tag:bark (")
    window.filter_bar.flush()
    qtbot.waitUntil(lambda: window.filter_bar.error.isVisible())
    assert "never closed" in window.filter_bar.error.text()
    window.filter_bar.text.setText("tag:bark")
    window.filter_bar.flush()
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 1)
    assert not window.filter_bar.error.isVisible()


def test_tagging_several_selected_textures_at_once(qtbot, window, local_store, tmp_path):
    coll = local_store.create_collection("Many")
    ids = [import_file(local_store, coll.id, write_image(tmp_path / n, seed=i)).texture_id
           for i, n in enumerate(("a.png", "b.png", "c.png", "d.png"))]
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    editor = window.tags.editor
    window.select_texture(ids[0])
    qtbot.waitUntil(lambda: editor.isVisible() and editor.box.isEnabled())
    assert not editor.scope.isVisible()  # one texture: no word about a selection
    window.grid.selectAll()  # four tiles, the first still shown in the details
    window.grid.selectionModel().select(window.grid_model.index(3),
                                        window.grid.selectionModel().SelectionFlag.Deselect)
    qtbot.waitUntil(lambda: editor.scope.isVisible())
    assert editor.scope.text() == "Adds and removes on 3 selected textures"
    editor.box.setText("wood")
    qtbot.keyClick(editor.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "wood" in editor.tags, timeout=10_000)
    assert [local_store.texture_tags(i) for i in ids] == [["wood"], ["wood"], ["wood"], []]
    qtbot.keyClick(editor.box, Qt.Key.Key_Backspace)  # removes from all three
    qtbot.waitUntil(lambda: editor.tags == [], timeout=10_000)
    assert all(local_store.texture_tags(i) == [] for i in ids)
