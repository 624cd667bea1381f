"""Remote mode against a real server: sign in, browse, survive the server dying, recover by itself."""

from __future__ import annotations

import pytest
from corpus import write_image
from live_server import PASSWORD, LiveServer

from vault_desktop.main_window import MainWindow
from vault_desktop.models.roles import ThumbnailRole

pytestmark = pytest.mark.slow


@pytest.fixture
def killable_server(tmp_path):
    """A server in a child process, so it can die at once (SIGKILL) and come back on the same port."""
    server = LiveServer(tmp_path / "server", subprocess=True).start()
    yield server
    server.stop()


def seed(server, tmp_path):
    server.add_user("admin", admin=True)
    store = server.store(server.add_user("alice"))
    coll = store.create_collection("Shared bricks")
    for i in range(3):
        store.add_texture(coll.id, str(write_image(tmp_path / f"brick_{i}.png", "png_rgb", (96, 96), seed=i)),
                          original_path=f"/art/brick_{i}.png")
    store.close()
    return coll


def sign_in(qtbot, window, server) -> None:
    window.opener.connect_dialog(url=server.url)
    dialog = window.opener.last_dialog
    dialog.username.setText("alice")
    dialog.password.setText(PASSWORD)
    dialog.connect_clicked()
    qtbot.waitUntil(lambda: window.store is not None and window.store.kind == "remote", timeout=10_000)


def test_browse_a_server_after_signing_in(qtbot, server, tmp_path):
    coll = seed(server, tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    sign_in(qtbot, window, server)
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() == 3, timeout=10_000)
    assert window.current_collection().id == coll.id
    first = window.grid_model.index(0)
    window.grid.viewport().repaint()
    qtbot.waitUntil(lambda: first.data(ThumbnailRole) is not None, timeout=10_000)
    assert window.settings.server_login(server.url)[0] == "alice"  # remembered for next time
    assert window.settings.last_vault() == server.url

    # the next start opens the server with the remembered token, no password asked
    again = MainWindow()
    qtbot.addWidget(again)
    again.opener.open_uri(server.url)
    qtbot.waitUntil(lambda: again.store is not None and again.store.kind == "remote", timeout=10_000)
    assert again.opener.last_dialog is None


def test_a_wrong_password_shows_the_dialog_again_with_the_reason(qtbot, server, tmp_path):
    seed(server, tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.opener.connect_dialog(url=server.url)
    first = window.opener.last_dialog
    first.username.setText("alice")
    first.password.setText("wrong")
    first.connect_clicked()
    qtbot.waitUntil(lambda: window.opener.last_dialog is not first, timeout=10_000)
    assert window.opener.last_dialog.error.text() != ""
    assert window.store is None


def test_a_server_killed_mid_session_shows_the_banner_then_recovers(qtbot, killable_server, tmp_path):
    server = killable_server
    seed(server, tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    sign_in(qtbot, window, server)
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() == 3, timeout=10_000)

    server.kill()
    window.refresh_collections()  # the next thing the user does meets a dead server
    window.refresh_textures()
    qtbot.waitUntil(window.banner.isVisible, timeout=10_000)
    assert "Offline — showing what was cached at" in window.banner.text()  # a server opens with its copy
    assert "retrying in" in window.banner.text() or "retrying now" in window.banner.text()
    assert window.isVisible()  # no crash, no modal error in the way

    # a change made while the app was cut off shows up by itself after the restart
    server.start()
    store = server.store(server.login("alice"))
    coll = store.find_collection("Shared bricks")
    store.add_texture(coll.id, str(write_image(tmp_path / "late.png", seed=9)), original_path="/art/late.png")
    store.close()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=20_000)
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 4, timeout=10_000)
