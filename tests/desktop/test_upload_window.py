"""The upload pane inside the real main window: drops on the window land in the grid, links
select textures, quitting with uploads pending asks first, sharing is greyed out locally."""

from __future__ import annotations

import time

from corpus import write_corrupt, write_image
from desktop_helpers import answer_next_dialog, open_collection

from server_api.workflows.importing import import_file
from vault_desktop.models.roles import TextureIdRole
from vault_desktop.sharing.share_dialog import LOCAL_NOTE
from vault_desktop.upload.rows import DONE, REJECTED, UNCHANGED


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.upload.queue.pending_count() == 0, timeout=20_000)


def test_files_dropped_on_the_window_show_up_in_the_grid(qtbot, window, local_store, tmp_path):
    walls = local_store.create_collection("Walls")
    open_collection(qtbot, window, walls)
    pane = window.upload.pane
    qtbot.waitUntil(lambda: pane.target_collection_id() == walls.id)
    files = [write_image(tmp_path / f"wall_{i}.png", seed=i) for i in range(3)]
    assert not window.upload.dock.isVisible()

    window.filesDropped.emit([str(p) for p in files] + [str(write_corrupt(tmp_path / "torn.png"))])
    settle(qtbot, window)

    assert window.upload.dock.isVisible()  # shown by the drop
    assert {r.name: r.state for r in pane.queue.model.rows()} == {
        "wall_0.png": DONE, "wall_1.png": DONE, "wall_2.png": DONE, "torn.png": REJECTED}
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() == 3, timeout=10_000)
    qtbot.waitUntil(lambda: window.current_collection().texture_count == 3, timeout=10_000)


def test_already_in_vault_link_selects_that_texture_in_the_grid(qtbot, window, local_store, tmp_path):
    walls = local_store.create_collection("Walls")
    for i in range(3):
        import_file(local_store, walls.id, write_image(tmp_path / f"w{i}.png", seed=i))
    open_collection(qtbot, window, walls)
    qtbot.waitUntil(lambda: window.upload.pane.target_collection_id() == walls.id)
    target = local_store.find_texture(walls.id, original_path=str(tmp_path / "w2.png"))
    copy = tmp_path / "copy_of_w2.png"
    copy.write_bytes((tmp_path / "w2.png").read_bytes())

    window.filesDropped.emit([str(copy)])
    settle(qtbot, window)
    row = window.upload.queue.model.rows()[0]
    assert (row.state, row.texture_id) == (UNCHANGED, target.id)

    window.upload.pane.textureActivated.emit(row.texture_id)  # what clicking the link does
    qtbot.waitUntil(lambda: window.grid.currentIndex().data(TextureIdRole) == target.id, timeout=5_000)


def test_quitting_with_uploads_pending_asks_first(qtbot, window, local_store, tmp_path):
    walls = local_store.create_collection("Walls")
    open_collection(qtbot, window, walls)
    qtbot.waitUntil(lambda: window.upload.pane.target_collection_id() == walls.id)
    queue = window.upload.queue

    def slow_upload() -> None:  # holds the write lane until the user has cancelled everything
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (
                queue.model.rows() and all(r.cancel.is_set() for r in queue.model.rows())):
            time.sleep(0.01)

    window.lanes.writes.submit(slow_upload)
    window.filesDropped.emit([str(write_image(tmp_path / f"t{i}.png", seed=i)) for i in range(3)])
    qtbot.waitUntil(lambda: window.upload.queue.model.rowCount() == 3)

    seen: list[str] = []
    answer_next_dialog("No", seen)
    assert not window.close()  # asks, without blocking: uploads keep going meanwhile
    qtbot.waitUntil(lambda: bool(seen) and window.upload.quit_question is None)
    assert window.isVisible() and "3 files are not uploaded yet" in seen[0]

    answer_next_dialog("Yes")
    assert not window.close()
    qtbot.waitUntil(lambda: not window.isVisible())  # "Yes" closed it
    window.lanes.wait(5_000)
    assert all(r.cancel.is_set() for r in queue.model.rows())
    assert local_store.count_textures(walls.id) == 0  # nothing was written after all


def test_sharing_a_local_vault_is_greyed_out_with_a_reason(qtbot, window, local_store):
    walls = local_store.create_collection("Walls")
    open_collection(qtbot, window, walls)
    assert window.sharing.share_action.isEnabled()
    dialog = window.sharing.open_share()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.note.text() == LOCAL_NOTE and not dialog.share.isEnabled()
    assert not window.admin.admin_action.isVisible()
    activity = window.sharing.open_activity()
    qtbot.waitUntil(lambda: activity.model.complete)
    assert [e.detail for e in activity.model.records()] == ["created collection 'Walls'"]


def test_opening_share_again_replaces_the_open_dialog(qtbot, window, local_store):
    walls = local_store.create_collection("Walls")
    open_collection(qtbot, window, walls)
    first = window.sharing.open_share()
    second = window.sharing.open_share()
    qtbot.waitUntil(lambda: not first.isVisible())
    qtbot.wait(50)  # the first dialog is deleted now; the second must stay known
    assert window.sharing.share_dialog is second and second.isVisible()
