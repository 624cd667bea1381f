"""The share and activity dialogs against a real server: grant, change, revoke, and the other
user's rights follow at once. Local vaults: sharing is greyed out and says why."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import pytest
from corpus import write_image
from PySide6.QtCore import Qt
from test_shared_fixtures import lanes, server  # noqa: F401 - fixtures

from server_api.core.errors import VaultError
from vault_desktop.sharing.activity import ActivityDialog
from vault_desktop.sharing.share_dialog import LOCAL_NOTE, READ_ONLY_NOTE, ShareDialog


@pytest.fixture
def people(server, tmp_path):
    """alice owns "Bricks" (one texture); bob and carol have accounts and no access yet."""
    alice = server.store(server.add_user("alice"))
    bob = server.store(server.add_user("bob"))
    server.add_user("carol")
    bricks = alice.create_collection("Bricks")
    alice.add_texture(bricks.id, str(write_image(tmp_path / "brick.png", seed=1)),
                      original_path="/art/brick.png")
    yield alice, bob, bricks
    alice.close()
    bob.close()


def open_dialog(qtbot, store, collection, lanes) -> ShareDialog:
    dialog = ShareDialog(store, collection, lanes)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    return dialog


def levels(dialog) -> dict[str, str]:
    return {g.username: g.level for g in dialog.model.records()}


def wait_for_levels(qtbot, dialog, expected) -> None:
    qtbot.waitUntil(lambda: levels(dialog) == expected and not dialog.writing, timeout=10_000)


def add_texture(store, collection_id, tmp_path, name):
    path = write_image(tmp_path / name, seed=hash(name) % 1000)
    return store.add_texture(collection_id, str(path), original_path=f"/art/{name}")


def test_owner_grants_changes_and_revokes_and_bob_feels_each_change(qtbot, lanes, people, tmp_path):
    alice, bob, bricks = people
    with pytest.raises(VaultError) as hidden:
        bob.get_collection(bricks.id)
    assert hidden.value.code == "not_found"

    dialog = open_dialog(qtbot, alice, bricks, lanes)
    assert levels(dialog) == {"alice": "owner"}
    assert dialog.can_manage and dialog.note.isHidden()

    # Find bob by typing part of his name, pick "Write", click Share.
    qtbot.keyClicks(dialog.person, "bo")
    qtbot.waitUntil(lambda: dialog.matches.stringList() == ["bob"], timeout=5_000)
    dialog.person.setText(dialog.matches.stringList()[0])
    dialog.new_level.setCurrentIndex(dialog.new_level.findData("write"))
    qtbot.mouseClick(dialog.share, Qt.MouseButton.LeftButton)
    wait_for_levels(qtbot, dialog, {"alice": "owner", "bob": "write"})
    assert dialog.person.text() == ""
    assert add_texture(bob, bricks.id, tmp_path, "bob_wall.png").name == "bob_wall.png"

    # Down to read: bob can look but no longer add.
    assert dialog.select_person("bob")
    dialog.selected_level.setCurrentIndex(dialog.selected_level.findData("read"))
    dialog.selected_level.activated.emit(dialog.selected_level.currentIndex())
    wait_for_levels(qtbot, dialog, {"alice": "owner", "bob": "read"})
    assert bob.count_textures(bricks.id) == 2
    with pytest.raises(VaultError) as refused:
        add_texture(bob, bricks.id, tmp_path, "bob_floor.png")
    assert refused.value.code == "permission_denied"

    # Revoke: the collection is gone for bob.
    assert dialog.select_person("bob")
    qtbot.mouseClick(dialog.revoke, Qt.MouseButton.LeftButton)
    wait_for_levels(qtbot, dialog, {"alice": "owner"})
    with pytest.raises(VaultError) as gone:
        bob.get_collection(bricks.id)
    assert gone.value.code == "not_found"

    # The owner is listed and cannot be removed or changed.
    assert dialog.select_person("alice")
    assert not dialog.revoke.isEnabled() and not dialog.selected_level.isEnabled()

    activity = ActivityDialog(alice, bricks, lanes)
    qtbot.addWidget(activity)
    qtbot.waitUntil(lambda: activity.model.complete, timeout=5_000)
    said = [(e.actor, e.detail) for e in activity.model.records()]
    assert said[:4] == [("alice", "revoked bob"), ("alice", "changed bob from write to read"),
                        ("bob", "added 'bob_wall.png'"), ("alice", "granted write to bob")]
    assert activity.model.index(0, 2).data() == "Sharing changed"  # the kind in words, then the detail
    assert activity.model.index(0, 3).data() == "revoked bob"


def test_someone_with_read_access_sees_a_read_only_list(qtbot, lanes, people):
    alice, bob, bricks = people
    alice.set_grant(bricks.id, "bob", "read")
    dialog = open_dialog(qtbot, bob, bob.get_collection(bricks.id), lanes)

    assert levels(dialog) == {"alice": "owner", "bob": "read"}
    assert not dialog.can_manage
    assert dialog.note.text() == f"You have read access. {READ_ONLY_NOTE}"
    assert not any(w.isVisible() for w in (dialog.person, dialog.share, dialog.revoke,
                                           dialog.selected_level))


def test_an_admin_of_the_collection_can_share_it_further(qtbot, lanes, people):
    alice, bob, bricks = people
    alice.set_grant(bricks.id, "bob", "admin")
    dialog = open_dialog(qtbot, bob, bob.get_collection(bricks.id), lanes)
    assert dialog.can_manage

    dialog.person.setText("carol")
    qtbot.mouseClick(dialog.share, Qt.MouseButton.LeftButton)  # "Read" is the default level
    wait_for_levels(qtbot, dialog, {"alice": "owner", "bob": "admin", "carol": "read"})


def test_sharing_with_nobody_names_the_missing_person_and_changes_nothing(qtbot, lanes, people):
    alice, _bob, bricks = people
    dialog = open_dialog(qtbot, alice, bricks, lanes)
    dialog.person.setText("nobody")
    qtbot.mouseClick(dialog.share, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.note.isVisible() and not dialog.writing, timeout=5_000)
    assert dialog.note.text().startswith("Could not share with nobody: ")
    assert "nobody" in dialog.note.text()[len("Could not share with nobody: "):]
    assert levels(dialog) == {"alice": "owner"}
    assert dialog.share.isEnabled()  # the artist can correct the name and try again


def test_a_local_vault_greys_sharing_out_and_says_why(qtbot, lanes, local_store):
    bricks = local_store.create_collection("Bricks")
    dialog = open_dialog(qtbot, local_store, bricks, lanes)

    assert dialog.note.text() == LOCAL_NOTE
    assert all(w.isVisible() and not w.isEnabled() for w in (dialog.person, dialog.share, dialog.new_level))
    assert [g.level for g in dialog.model.records()] == ["owner"]


def test_the_grants_model_is_a_well_behaved_qt_model(qtbot, qtmodeltester, lanes, people):
    alice, _bob, bricks = people
    alice.set_grant(bricks.id, "bob", "write")
    dialog = open_dialog(qtbot, alice, bricks, lanes)
    qtmodeltester.check(dialog.model)


def test_a_share_made_in_the_window_shows_in_its_open_activity_log(qtbot, server, people):
    from desktop_helpers import open_collection

    from vault_desktop.main_window import MainWindow

    alice, _bob, bricks = people
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_store(alice)
    open_collection(qtbot, window, alice.get_collection(bricks.id))
    activity = window.sharing.open_activity()
    qtbot.waitUntil(lambda: activity.model.complete, timeout=5_000)
    share = window.sharing.open_share()
    qtbot.waitUntil(lambda: share.can_manage, timeout=5_000)

    share.person.setText("carol")
    share.share.click()
    qtbot.waitUntil(lambda: activity.model.rowCount() > 0
                    and activity.model.records()[0].detail == "granted read to carol", timeout=5_000)
    window.lanes.wait(5_000)
