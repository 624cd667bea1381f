"""The server-admin dialog against a real server: accounts and storage per collection."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import pytest
from corpus import write_image
from live_server import PASSWORD
from test_shared_fixtures import lanes, server  # noqa: F401 - fixtures

from server_api.core.errors import VaultError
from vault_desktop.main_window import MainWindow
from vault_desktop.sharing.admin_dialog import AdminDialog


@pytest.fixture
def admin(server):
    store = server.store(server.login("root"))
    yield store
    store.close()


def open_dialog(qtbot, store, lanes) -> AdminDialog:
    dialog = AdminDialog(store, lanes)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.users.rowCount() > 0, timeout=5_000)
    return dialog


def accounts(dialog) -> dict[str, str]:
    return {u.username: dialog.users.index(i, 3).data() for i, u in enumerate(dialog.users.records())}


def test_admin_creates_disables_enables_and_resets_an_account(qtbot, lanes, server, admin):
    dialog = open_dialog(qtbot, admin, lanes)
    assert accounts(dialog) == {"root": "active"}

    dialog.create_user("dave", "first password", "Dave Diffuse")
    qtbot.waitUntil(lambda: "dave" in accounts(dialog), timeout=5_000)
    assert dialog.status.text() == "Created dave."
    token = server.login("dave", "first password")
    dave = server.store(token)
    assert dave.current_user().display_name == "Dave Diffuse"

    assert dialog.select_user("dave") and dialog.toggle_active.text() == "Disable"
    dialog.toggle_active.click()
    qtbot.waitUntil(lambda: accounts(dialog).get("dave") == "disabled", timeout=5_000)
    assert dialog.toggle_active.text() == "Enable"  # still listed, greyed, so it can come back
    with pytest.raises(VaultError) as out:
        dave.current_user()
    assert out.value.code == "unauthenticated"

    dialog.toggle_active.click()
    qtbot.waitUntil(lambda: accounts(dialog).get("dave") == "active", timeout=5_000)
    dialog.set_password("dave", "second password")
    qtbot.waitUntil(lambda: dialog.status.text() == "New password set for dave.", timeout=5_000)
    with pytest.raises(VaultError):
        server.login("dave", "first password")
    assert server.store(server.login("dave", "second password")).current_user().username == "dave"


def test_a_disabled_account_stays_listed_after_reopening_and_can_be_enabled(qtbot, lanes, server, admin):
    server.add_user("erin")
    admin.set_user_active("erin", False)
    dialog = open_dialog(qtbot, admin, lanes)
    qtbot.waitUntil(lambda: accounts(dialog).get("erin") == "disabled", timeout=5_000)
    dialog.close()

    dialog = open_dialog(qtbot, admin, lanes)  # a fresh dialog still lists it, greyed
    qtbot.waitUntil(lambda: accounts(dialog).get("erin") == "disabled", timeout=5_000)
    assert dialog.select_user("erin") and dialog.toggle_active.text() == "Enable"
    assert not dialog.reset_password.isEnabled()
    dialog.toggle_active.click()
    qtbot.waitUntil(lambda: accounts(dialog).get("erin") == "active", timeout=5_000)
    assert dialog.status.text() == "Enabled erin."
    assert server.store(server.login("erin")).current_user().username == "erin"


def test_a_refused_account_names_the_reason(qtbot, lanes, admin):
    dialog = open_dialog(qtbot, admin, lanes)
    dialog.create_user("no spaces allowed", PASSWORD)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Could not create"), timeout=5_000)
    assert "'no spaces allowed'" in dialog.status.text() and "username" in dialog.status.text()
    assert accounts(dialog) == {"root": "active"}


def test_storage_tab_shows_bytes_per_collection(qtbot, qtmodeltester, lanes, server, admin, tmp_path):
    alice = server.store(server.add_user("alice"))
    big = alice.create_collection("Big")
    small = alice.create_collection("Small")
    for i in range(3):
        alice.add_texture(big.id, str(write_image(tmp_path / f"b{i}.png", size=(256, 256), seed=i)),
                          original_path=f"/art/b{i}.png")
    alice.add_texture(small.id, str(write_image(tmp_path / "s.png", size=(16, 16))),
                      original_path="/art/s.png")

    dialog = open_dialog(qtbot, admin, lanes)
    qtbot.waitUntil(lambda: dialog.storage.rowCount() == 2, timeout=5_000)
    rows = [[dialog.storage.index(r, c).data() for c in range(5)] for r in range(2)]
    assert [r[:4] for r in rows] == [["Big", "alice", "3", "3"], ["Small", "alice", "1", "1"]]
    assert rows[0][4].endswith("KB") and dialog.storage_total.text().startswith("2 collections · ")
    qtmodeltester.check(dialog.storage)
    qtmodeltester.check(dialog.users)


def test_only_server_admins_get_the_admin_menu(qtbot, server, admin):
    plain = server.store(server.add_user("alice"))
    window = MainWindow()
    qtbot.addWidget(window)
    action = window.admin.admin_action

    window.set_store(plain)
    qtbot.wait(300)
    assert not action.isVisible()

    window.set_store(server.store(server.login("root")))
    qtbot.waitUntil(action.isVisible, timeout=5_000)
    dialog = window.admin.open_admin()
    qtbot.waitUntil(lambda: dialog.users.rowCount() == 2, timeout=5_000)
    window.lanes.wait(5_000)
