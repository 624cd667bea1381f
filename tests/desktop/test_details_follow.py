"""The details and timeline show the selected texture of the store as it is now: a delete, a
filter or a refresh never leaves them on something else; empty and filtered-out say different things."""

from __future__ import annotations

from corpus import write_image
from desktop_helpers import answer_next_dialog, open_collection

from server_api.workflows.importing import import_file


def shown_id(window):
    texture = window.current_texture()
    return texture.id if texture else None


def seed(local_store, tmp_path, names=("rock_albedo.png", "rock_normal.png", "wood_albedo.png")):
    coll = local_store.create_collection("Props")
    ids = {name: import_file(local_store, coll.id, write_image(tmp_path / name, seed=i)).texture_id
           for i, name in enumerate(names)}
    return local_store.get_collection(coll.id), ids


def test_deleting_the_shown_texture_clears_details_timeline_and_publish(qtbot, window, local_store, tmp_path):
    coll, ids = seed(local_store, tmp_path)
    open_collection(qtbot, window, coll)
    window.select_texture(ids["rock_normal.png"])
    qtbot.waitUntil(lambda: shown_id(window) == ids["rock_normal.png"])
    assert window.versions.publish_action.isEnabled() and window.timeline_model.rowCount() == 1

    answer_next_dialog("Delete")
    window.textures.delete_selected()
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2)
    qtbot.waitUntil(lambda: shown_id(window) is None)
    assert window.timeline_model.rowCount() == 0
    assert not window.versions.publish_action.isEnabled()  # never "texture 47 not found"
    assert window.statusBar().currentMessage().startswith("Deleted 1 texture ·")


def test_a_filter_keeps_the_selection_when_it_still_matches_and_drops_it_when_not(qtbot, window, local_store,
                                                                                 tmp_path):
    coll, ids = seed(local_store, tmp_path)
    open_collection(qtbot, window, coll)
    window.select_texture(ids["rock_albedo.png"])
    qtbot.waitUntil(lambda: shown_id(window) == ids["rock_albedo.png"])

    window.filter_bar.text.setText("rock")
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2)
    qtbot.waitUntil(lambda: window.grid.current_texture_id() == ids["rock_albedo.png"])
    assert shown_id(window) == ids["rock_albedo.png"]

    window.filter_bar.text.setText("wood")
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 1)
    qtbot.waitUntil(lambda: shown_id(window) is None)
    assert window.detail.text_of("Name") in ("", None)
    window.filter_bar.text.setText("")
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 3)
    assert shown_id(window) is None  # not silently back on a texture nobody selected


def test_refresh_keeps_the_selected_texture_selected_and_shown(qtbot, window, local_store, tmp_path):
    coll, ids = seed(local_store, tmp_path)
    open_collection(qtbot, window, coll)
    window.select_texture(ids["wood_albedo.png"])
    qtbot.waitUntil(lambda: shown_id(window) == ids["wood_albedo.png"])
    window.refresh_textures()
    qtbot.waitUntil(lambda: window.grid.current_texture_id() == ids["wood_albedo.png"])
    qtbot.waitUntil(lambda: shown_id(window) == ids["wood_albedo.png"])


def test_an_empty_collection_is_never_called_filtered_for_a_sort_change(qtbot, window, local_store):
    empty = local_store.create_collection("Empty")
    open_collection(qtbot, window, local_store.get_collection(empty.id))
    bar = window.filter_bar
    bar.sort.setCurrentIndex(bar.sort.count() - 1)  # another sort, and the other direction
    bar.descending.click()
    bar.flush()
    qtbot.waitUntil(lambda: window.grid_model.query.sort != "name" and window.grid_model.is_complete())
    qtbot.waitUntil(lambda: window.empty_hint.isVisible())
    assert window.empty_hint.text() == "Drop texture files here to add them to this collection."
    bar.text.setText("zzz")
    bar.flush()
    qtbot.waitUntil(lambda: window.grid_model.query.text == "zzz" and window.grid_model.is_complete())
    qtbot.waitUntil(lambda: window.empty_hint.text() == "No textures match the filter.")
