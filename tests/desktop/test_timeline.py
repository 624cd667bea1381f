"""The version timeline: make current, publish to the original path, save as, compare."""

from __future__ import annotations

import os
import stat

import pytest
from corpus import write_image
from desktop_helpers import answer_next_dialog, open_collection

from server_api.workflows.importing import file_sha256, import_file
from server_api.workflows.publish_roots import PublishRoots
from vault_desktop.models.roles import BadgesRole


@pytest.fixture
def wood(qtbot, window, local_store, tmp_path):
    """A texture with two versions whose original file on disk still holds v1."""
    coll = local_store.create_collection("Wood")
    art = tmp_path / "art"
    original = write_image(art / "oak_planks_albedo.png", "png_rgb", (128, 128), seed=1)
    PublishRoots.load(local_store.uri).approve(art)  # publishing there is this user's choice
    tid = import_file(local_store, coll.id, original).texture_id
    v1_bytes = original.read_bytes()
    local_store.add_version(tid, str(write_image(tmp_path / "v2.png", "png_rgb", (128, 128), seed=2)),
                            note="warmer grain")
    assert original.read_bytes() == v1_bytes  # a new version never touches the artist's file
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    window.select_texture(tid)
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 2)
    window.side_tabs.setCurrentWidget(window.timeline)
    return tid, original


def select_version(window, number: int):
    for row in range(window.timeline_model.rowCount()):
        version = window.timeline_model.version_at(row)
        if version.number == number:
            window.timeline.list.setCurrentIndex(window.timeline_model.index(row))
            return version
    raise AssertionError(f"no v{number}")


def test_timeline_lists_versions_with_badges(qtbot, window, wood):
    model = window.timeline_model
    assert [model.index(r).data() for r in range(2)] == ["v2", "v1"]
    assert model.index(0).data(BadgesRole) == ("current",)
    assert model.version_at(0).note == "warmer grain"


def test_make_current_from_the_timeline(qtbot, window, local_store, wood):
    tid, _ = wood
    select_version(window, 1)
    assert window.timeline.make_current.isEnabled()
    window.timeline.make_current.click()
    qtbot.waitUntil(lambda: window.current_texture().current.number == 1, timeout=5000)
    assert local_store.get_texture(tid).current.number == 1
    assert window.timeline_model.version_at(1).is_current  # v1 row now carries the badge
    assert window.detail.text_of("Versions") == "2 (current v1)"


def test_publish_writes_the_file_and_keeps_what_it_replaced(qtbot, window, local_store, wood, tmp_path):
    tid, original = wood
    painted_over = write_image(original, "png_rgb", (128, 128), seed=99)  # edited outside the vault
    outside_bytes = painted_over.read_bytes()
    seen: list[str] = []
    answer_next_dialog("Publish", seen)
    window.timeline.publish.click()
    assert str(original) in seen[0]  # the confirm dialog shows where it writes
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 3, timeout=5000)
    current = local_store.get_texture(tid).current
    assert file_sha256(original) == current.sha256  # the file now holds the current version
    kept = window.timeline_model.version_at(0)
    assert kept.number == 3 and not kept.is_current
    with local_store.open_version(kept.id) as f:
        assert f.read() == outside_bytes  # the artist's edit survived as v3
    assert "published" in window.timeline_model.index(1).data(BadgesRole)
    assert not [p for p in original.parent.iterdir() if p.name.startswith(".")]  # no temp left behind


@pytest.mark.parametrize("answer", ["Approve and publish", "Cancel"])
def test_publish_outside_the_approved_folders_asks_with_the_full_path(qtbot, window, local_store, wood,
                                                                     answer):
    tid, original = wood
    roots = PublishRoots.load(local_store.uri)
    roots.disallow(str(original.parent))
    before = original.read_bytes()
    seen: list[str] = []
    answer_next_dialog("Publish", seen)
    window.timeline.publish.click()
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    answer_next_dialog(answer, seen)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert str(original) in seen[1] and "outside the folders you approved" in seen[1]
    if answer == "Cancel":
        qtbot.wait(200)
        assert original.read_bytes() == before and PublishRoots.load(local_store.uri).approved == []
        return
    current = local_store.get_texture(tid).current.sha256
    qtbot.waitUntil(lambda: file_sha256(original) == current, timeout=5000)
    assert PublishRoots.load(local_store.uri).approved == [str(original.parent)]


def test_publish_cancelled_writes_nothing(qtbot, window, wood):
    _, original = wood
    before = original.read_bytes()
    answer_next_dialog("Cancel")
    window.timeline.publish.click()
    qtbot.wait(200)
    assert original.read_bytes() == before


def test_publish_to_a_missing_folder_says_so(qtbot, window, wood):
    _, original = wood
    original.unlink()
    original.parent.rmdir()
    answer_next_dialog("Publish")
    window.timeline.publish.click()
    qtbot.waitUntil(lambda: getattr(window, "last_message", None) is not None, timeout=5000)
    text = window.last_message.text()
    assert "does not exist" in text and str(original.parent) in text


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_publish_to_a_read_only_folder_says_so(qtbot, window, wood):
    _, original = wood
    original.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        answer_next_dialog("Publish")
        window.timeline.publish.click()
        qtbot.waitUntil(lambda: getattr(window, "last_message", None) is not None, timeout=5000)
        assert "Publish failed" in window.last_message.windowTitle()
        assert str(original) in window.last_message.text()
    finally:
        original.parent.chmod(stat.S_IRWXU)


def test_save_a_version_as(qtbot, window, local_store, wood, tmp_path):
    tid, _ = wood
    v1 = select_version(window, 1)
    target = tmp_path / "exports" / "oak_v1.png"
    target.parent.mkdir()
    window.versions.save_version_to(v1, str(target))
    qtbot.waitUntil(target.exists, timeout=5000)
    assert file_sha256(target) == v1.sha256


def test_compare_two_versions_in_every_mode(qtbot, window, wood):
    select_version(window, 1)
    assert window.timeline.compare.isEnabled()  # one older version: compared with the current
    window.timeline.compare.click()
    dialog = window.compare.last_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.pair is not None, timeout=5000)
    assert (dialog.older.number, dialog.newer.number) == (1, 2)
    assert dialog.pair.older.size() == dialog.pair.newer.size()
    # synced zoom: both canvases share one state, so zooming one moves the other
    dialog.state.set(2.0, dialog.state.center)
    assert dialog.left.state is dialog.right.state and dialog.right.state.scale == 2.0
    dialog.set_mode("Swipe")
    assert dialog.single.second is not None and dialog.swipe.isVisible()
    dialog.set_mode("Difference")
    diff = dialog.single.first
    assert dialog.single.second is None
    assert any(diff.pixelColor(x, y).red() > 0 for x in range(0, 128, 8) for y in range(0, 128, 8))
