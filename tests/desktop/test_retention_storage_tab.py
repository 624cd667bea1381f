"""The admin dialog's Storage tab against a real server: what a collection stores and only it uses,
a keep-last preview, and setting the policy after a confirm (nothing changes before it)."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import os
from pathlib import Path

import pytest
from corpus import write_image
from PySide6.QtWidgets import QMessageBox
from test_shared_fixtures import lanes, server  # noqa: F401 - fixtures

from vault_desktop.sharing.admin_dialog import AdminDialog


@pytest.fixture
def admin(server):
    store = server.store(server.login("root"))
    yield store
    store.close()


def test_storage_tab_previews_then_sets_a_policy_after_a_confirm(qtbot, qtmodeltester, lanes, server, admin,
                                                                  tmp_path):
    alice = server.store(server.add_user("alice"))
    big = alice.create_collection("Big")
    texture = alice.add_texture(big.id, str(write_image(tmp_path / "b.png", size=(256, 256), seed=1)),
                                original_path="/art/b.png")
    for n in range(2, 6):
        alice.add_version(texture.id, str(write_image(tmp_path / f"b{n}.png", size=(256, 256), seed=n)))
    alice.create_collection("Empty")

    dialog = AdminDialog(admin, lanes)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.storage_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=5_000)
    qtmodeltester.check(tab.model)
    first = [tab.model.index(0, c).data() for c in range(tab.model.columnCount())]
    assert first[:4] == ["Big", "alice", "1", "5"] and first[6] == "keep all" and first[7] == "–"
    assert not tab.apply_button.isEnabled()  # nothing previewed yet

    assert tab.select_collection(big.id)
    tab.keep_last.setValue(2)
    tab.preview()
    qtbot.waitUntil(tab.apply_button.isEnabled, timeout=5_000)
    assert "would move 3 versions of 1 texture" in tab.preview_text.text()
    assert alice.retention(big.id).keep_last is None  # a preview changes nothing

    tab.ask_to_apply()
    box = tab.confirm_box
    assert box is not None and "Set this policy now?" in box.text()
    shots = Path(os.environ.get("VAULT_SCREENSHOTS", tmp_path))
    dialog.grab().save(str(shots / "admin_storage_tab.png"))
    box.grab().save(str(shots / "admin_storage_confirm.png"))
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "moved to the version trash" in dialog.status.text(), timeout=5_000)
    assert dialog.status.text() == "Big: keep 2; 3 versions moved to the version trash."
    assert alice.retention(big.id).keep_last == 2
    assert [v.number for v in alice.list_versions(texture.id)] == [5, 4]
    qtbot.waitUntil(lambda: tab.model.index(0, 6).data() == "keep 2", timeout=5_000)
    assert tab.model.index(0, 3).data() == "2"


def test_a_cancelled_confirm_changes_nothing(qtbot, lanes, server, admin, tmp_path):
    alice = server.store(server.add_user("alice"))
    big = alice.create_collection("Big")
    texture = alice.add_texture(big.id, str(write_image(tmp_path / "b.png", seed=1)), original_path="/b.png")
    alice.add_version(texture.id, str(write_image(tmp_path / "b2.png", seed=2)))
    dialog = AdminDialog(admin, lanes)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.storage_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5_000)
    tab.select_collection(big.id)
    tab.keep_last.setValue(1)
    tab.preview()
    qtbot.waitUntil(tab.apply_button.isEnabled, timeout=5_000)
    tab.ask_to_apply()
    tab.confirm_box.button(QMessageBox.StandardButton.Cancel).click()
    lanes.wait(5_000)
    assert alice.retention(big.id).keep_last is None
    assert [v.number for v in alice.list_versions(texture.id)] == [2, 1]
