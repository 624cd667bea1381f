"""The upload pane with a real local vault: drop files, watch rows, check what landed in the store."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import threading

import pytest
from corpus import write_corrupt, write_image, write_truncated, write_unsupported
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from test_shared_fixtures import lanes  # noqa: F401 - a fixture

from vault_desktop.upload.pane import UploadPane
from vault_desktop.upload.queue import UploadQueue
from vault_desktop.upload.queue_model import OUTCOME, STATE, LinkRole
from vault_desktop.upload.rows import CANCELLED, DONE, NEW_VERSION, REJECTED, UNCHANGED


@pytest.fixture
def pane(qtbot, lanes, local_store):
    collection = local_store.create_collection("Bricks")
    queue = UploadQueue(lanes)
    pane = UploadPane(queue, lanes)
    qtbot.addWidget(pane)
    pane.set_store(local_store, collection)
    qtbot.waitUntil(lambda: pane.target_collection_id() == collection.id)
    return pane


def drop(qtbot, pane, paths) -> None:
    """What the OS does when files are dropped on the pane; returns once the rows are queued."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(pane.queue.added):
        pane.dropEvent(event)
    assert event.isAccepted()


def settle(qtbot, pane) -> None:
    qtbot.waitUntil(lambda: pane.queue.pending_count() == 0, timeout=20_000)
    qtbot.wait(150)  # one flush tick: the model shows the final states


def states(pane) -> dict[str, str]:
    return {r.name: r.state for r in pane.queue.model.rows()}


def names_in(store, collection_id) -> list[str]:
    return sorted(t.name for t in store.list_textures(collection_id).items)


def block_writes(lanes) -> threading.Event:
    """Hold the writes lane (as a slow upload would) until the returned event is set."""
    release = threading.Event()
    lanes.writes.submit(release.wait, 10)
    return release


def test_dropped_folder_lands_and_broken_files_are_named_while_the_rest_lands(qtbot, pane, tmp_path,
                                                                              local_store):
    folder = tmp_path / "drop"
    write_image(folder / "brick_albedo.png", "png_rgb", seed=1)
    write_image(folder / "brick_normal.tif", "tiff_16_gray", seed=2)
    write_image(folder / "sub" / "brick_rough.jpg", "jpeg", seed=3)
    write_truncated(folder / "broken.png")
    write_unsupported(tmp_path / "notes.png")
    (folder / "readme.txt").write_text("not a texture")

    drop(qtbot, pane, [folder, tmp_path / "notes.png"])
    settle(qtbot, pane)

    assert states(pane) == {"brick_albedo.png": DONE, "brick_normal.tif": DONE,
                            "brick_rough.jpg": DONE, "broken.png": REJECTED, "notes.png": REJECTED}
    cid = pane.target_collection_id()
    assert names_in(local_store, cid) == ["brick_albedo.png", "brick_normal.tif", "brick_rough.jpg"]
    reasons = {r.name: r.reason for r in pane.queue.model.rows() if r.state == REJECTED}
    assert all(reason.startswith("unsupported or corrupt: ") for reason in reasons.values())
    assert "broken.png" in reasons["broken.png"] and "notes.png" in reasons["notes.png"]
    normal = next(r for r in pane.queue.model.rows() if r.name == "brick_normal.tif")
    assert normal.metadata_text() == "64×48 · TIFF · 16-bit" and normal.thumbnail
    assert pane.summary.text() == ("5 of 5 files · 2 need attention · "
                                   "skipped 1 non-image file in folders")
    assert pane.total.fraction() == 1.0


def test_failed_row_can_be_retried_once_the_file_is_fixed(qtbot, pane, tmp_path, local_store):
    broken = write_corrupt(tmp_path / "moss.png")
    drop(qtbot, pane, [broken])
    settle(qtbot, pane)
    assert states(pane) == {"moss.png": REJECTED}
    assert not pane.retry.isEnabled()  # the same corrupt bytes would be rejected again

    write_image(broken, "png_rgba", seed=4)  # the artist re-exports the file
    assert pane.queue.recheck_rejected() == 1  # what coming back to the window does
    assert pane.retry.isEnabled()
    qtbot.mouseClick(pane.retry, Qt.MouseButton.LeftButton)
    settle(qtbot, pane)

    assert states(pane) == {"moss.png": DONE}
    assert names_in(local_store, pane.target_collection_id()) == ["moss.png"]
    assert not pane.retry.isEnabled()


def test_identical_bytes_are_already_in_vault_and_link_to_that_texture(qtbot, pane, tmp_path,
                                                                       local_store):
    original = write_image(tmp_path / "a" / "stone.png", seed=5)
    drop(qtbot, pane, [original])
    settle(qtbot, pane)
    copy = tmp_path / "b" / "stone_copy.png"
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())

    drop(qtbot, pane, [copy])
    settle(qtbot, pane)

    row = pane.queue.model.rows()[-1]
    stone = local_store.list_textures(pane.target_collection_id()).items[0]
    assert (row.state, row.texture_id) == (UNCHANGED, stone.id)
    index = pane.queue.model.index(1, OUTCOME)
    assert pane.queue.model.index(1, STATE).data() == "already in vault"
    assert index.data() == "already in vault: stone.png v1" and index.data(LinkRole) == stone.id
    with qtbot.waitSignal(pane.textureActivated) as shown:
        pane.view.clicked.emit(index)
    assert shown.args == [stone.id]
    assert local_store.count_textures(pane.target_collection_id()) == 1


def test_new_bytes_at_a_known_path_are_announced_as_a_new_version_before_being_written(
        qtbot, pane, lanes, tmp_path, local_store):
    path = write_image(tmp_path / "wood.png", seed=6)
    drop(qtbot, pane, [path])
    settle(qtbot, pane)
    write_image(path, seed=7)  # repainted

    release = block_writes(lanes)
    drop(qtbot, pane, [path])
    row = pane.queue.model.rows()[-1]
    qtbot.waitUntil(lambda: row.plan is not None)
    qtbot.wait(150)
    assert pane.queue.model.index(1, OUTCOME).data() == "will become v2 of wood.png"
    wood = local_store.list_textures(pane.target_collection_id()).items[0]
    assert local_store.get_texture(wood.id).version_count == 1  # announced, not yet written
    release.set()
    settle(qtbot, pane)

    assert row.state == NEW_VERSION and row.version == 2
    assert pane.queue.model.index(1, OUTCOME).data() == "wood.png is now v2"
    assert local_store.get_texture(wood.id).version_count == 2


def test_the_target_collection_can_be_changed_before_anything_is_written(qtbot, pane, lanes, tmp_path,
                                                                          local_store):
    first = pane.target_collection_id()
    other = local_store.create_collection("Metals")
    pane.reload_collections()
    qtbot.waitUntil(lambda: pane.target.count() == 2)
    files = [write_image(tmp_path / f"steel_{i}.png", seed=10 + i) for i in range(3)]

    release = block_writes(lanes)
    pane.select_target(first)
    drop(qtbot, pane, files)
    pane.select_target(other.id)
    pane.target.activated.emit(pane.target.currentIndex())  # as when the user picks it
    release.set()
    settle(qtbot, pane)

    assert names_in(local_store, other.id) == ["steel_0.png", "steel_1.png", "steel_2.png"]
    assert names_in(local_store, first) == []


def test_cancel_all_stops_the_batch_and_nothing_is_written(qtbot, pane, tmp_path, local_store):
    files = [write_image(tmp_path / f"tile_{i}.png", seed=i) for i in range(30)]
    drop(qtbot, pane, files)
    qtbot.mouseClick(pane.cancel_all, Qt.MouseButton.LeftButton)
    settle(qtbot, pane)

    assert set(states(pane).values()) == {CANCELLED}
    assert local_store.count_textures(pane.target_collection_id()) == 0
    assert pane.retry.isEnabled()  # cancelled rows can be queued again


def test_cancel_one_row_leaves_the_others_running(qtbot, pane, lanes, tmp_path, local_store):
    files = [write_image(tmp_path / f"leaf_{i}.png", seed=i) for i in range(4)]
    release = block_writes(lanes)
    drop(qtbot, pane, files)
    pane.view.selectRow(2)
    qtbot.mouseClick(pane.cancel_selected, Qt.MouseButton.LeftButton)
    release.set()
    settle(qtbot, pane)

    assert states(pane) == {"leaf_0.png": DONE, "leaf_1.png": DONE, "leaf_2.png": CANCELLED,
                            "leaf_3.png": DONE}
    assert names_in(local_store, pane.target_collection_id()) == ["leaf_0.png", "leaf_1.png", "leaf_3.png"]


def test_the_queue_model_is_a_well_behaved_qt_model(qtbot, qtmodeltester, pane, tmp_path):
    drop(qtbot, pane, [write_image(tmp_path / "ok.png"), write_corrupt(tmp_path / "bad.png")])
    qtmodeltester.check(pane.queue.model)
    settle(qtbot, pane)
    qtmodeltester.check(pane.queue.model)
    assert pane.queue.clear_finished() == 2
    assert pane.summary.text() == "Nothing queued"
    assert pane.stack.currentWidget() is pane.hint  # back to "drop files here"


def test_an_image_over_the_pixel_limit_is_rejected_as_too_large(qtbot, pane, tmp_path, monkeypatch,
                                                                local_store):
    from server_api.imaging import limits

    monkeypatch.setattr(limits, "MAX_IMAGE_PIXELS", 100 * 100)
    drop(qtbot, pane, [write_image(tmp_path / "huge.png", size=(200, 200)),
                       write_image(tmp_path / "small.png", size=(50, 50))])
    settle(qtbot, pane)

    huge = pane.queue.model.rows()[0]
    assert huge.state == REJECTED and huge.reason.startswith("too large: huge.png: 200x200 pixels")
    assert names_in(local_store, pane.target_collection_id()) == ["small.png"]
