"""The window against a server that dies and comes back (issue 16): browse, filter and view what was
kept, queue an upload, quit and start again while the server is still gone, and the upload lands once
when it returns; a teammate's upload shows up by itself within 2 s, the selection kept."""

from __future__ import annotations

import time

import pytest
from corpus import write_image
from desktop_helpers import answer_next_dialog
from live_server import LiveServer

from vault_desktop.main_window import MainWindow
from vault_desktop.models.roles import ThumbnailRole

pytestmark = pytest.mark.slow


@pytest.fixture
def killable(tmp_path):
    server = LiveServer(tmp_path / "server", subprocess=True).start()
    yield server
    server.stop()


def _seed(server, tmp_path):
    server.add_user("admin", admin=True)
    token = server.add_user("alice")
    store = server.store(token)
    coll = store.create_collection("Shared bricks")
    for i, name in enumerate(["brick_wall.png", "brick_floor.png", "moss.png"]):
        store.add_texture(coll.id, str(write_image(tmp_path / name, "png_rgb", (96, 96), seed=i)),
                          original_path=f"/art/{name}")
    store.close()
    return coll, token


def _open(qtbot, server, token) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.settings.remember_server(server.url, "alice", token)
    window.opener.open_uri(server.url)
    qtbot.waitUntil(lambda: window.store is not None and window.store.kind == "remote", timeout=10_000)
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() >= 3, timeout=10_000)
    return window


def _names(window) -> list[str]:
    return [window.grid_model.row_at(i).name for i in range(window.grid_model.rowCount())]


def test_offline_browse_queue_restart_and_the_upload_lands_once(qtbot, killable, tmp_path):
    server = killable
    coll, token = _seed(server, tmp_path)
    window = _open(qtbot, server, token)
    answer_next_dialog("Download")  # Keep offline asks first, with the size
    window.offline.keep_action.trigger()
    qtbot.waitUntil(lambda: "kept offline" in window.statusBar().currentMessage(), timeout=15_000)

    server.kill()
    qtbot.waitUntil(window.banner.isVisible, timeout=10_000)
    assert "Offline — showing what was cached at" in window.banner.text()
    # browse: F5, the filter, thumbnails and the viewer all answer from the copy
    window.refresh_textures()
    qtbot.wait(300)
    assert sorted(_names(window)) == ["brick_floor.png", "brick_wall.png", "moss.png"]
    window.filter_bar.text.setText("brick")
    qtbot.waitUntil(lambda: sorted(_names(window)) == ["brick_floor.png", "brick_wall.png"], timeout=10_000)
    first = window.grid_model.index(0)
    window.grid.viewport().repaint()
    qtbot.waitUntil(lambda: first.data(ThumbnailRole) is not None, timeout=10_000)
    viewer = window.viewer.open_texture(window.grid_model.row_at(0).texture_id)
    qtbot.waitSignal(viewer.loaded, timeout=15_000)
    viewer.close()
    window.grid.viewport().grab().save(str(tmp_path / "offline.png"))

    # an upload made offline waits, shown as pending
    window.filesDropped.emit([str(write_image(tmp_path / "drop" / "rock.png", "png_rgb", (64, 64), seed=7))])
    qtbot.waitUntil(lambda: window.offline.pending_label.text() == "1 waiting to upload", timeout=10_000)
    window.close()

    # the app starts again, the server is still gone: the last state shows from the copy
    again = _open(qtbot, server, token)
    qtbot.waitUntil(again.banner.isVisible, timeout=10_000)
    assert sorted(_names(again)) == ["brick_floor.png", "brick_wall.png", "moss.png"]
    qtbot.waitUntil(lambda: again.offline.pending_label.text() == "1 waiting to upload", timeout=10_000)

    server.start()
    qtbot.waitUntil(lambda: not again.banner.isVisible(), timeout=40_000)
    qtbot.waitUntil(lambda: "rock.png" in _names(again), timeout=15_000)
    qtbot.waitUntil(lambda: not again.offline.pending_label.isVisible(), timeout=10_000)
    check = server.store(token)
    landed = [t.name for t in check.list_textures(coll.id).items]
    assert landed.count("rock.png") == 1 and len(landed) == 4
    again.offline.replay()  # a second replay sends nothing again
    qtbot.wait(500)
    assert [t.name for t in check.list_textures(coll.id).items].count("rock.png") == 1
    check.close()


def test_a_teammates_upload_appears_within_two_seconds_keeping_the_selection(qtbot, server, tmp_path):
    coll, token = _seed(server, tmp_path)
    window = _open(qtbot, server, token)
    qtbot.waitUntil(lambda: window.live.mode == "stream", timeout=10_000)
    chosen = window.grid_model.row_at(1).texture_id
    window.select_texture(chosen)
    qtbot.waitUntil(lambda: window.grid.current_texture_id() == chosen, timeout=10_000)
    qtbot.wait(300)  # the stream is connected

    bob = server.store(server.add_user("bob"))
    alice = server.store(token)
    alice.set_grant(coll.id, "bob", "write")
    path = str(write_image(tmp_path / "bob_tiles.png", "png_rgb", (64, 64), seed=11))
    started = time.monotonic()
    bob.add_texture(coll.id, path, original_path="/bob/bob_tiles.png")
    qtbot.waitUntil(lambda: "bob_tiles.png" in _names(window), timeout=5_000)
    took = time.monotonic() - started
    print(f"a teammate's upload appeared in the grid after {took:.2f} s")
    assert window.grid.current_texture_id() == chosen
    assert window.count_label.text() == "4 textures"
    bob.close()
    alice.close()


def test_the_stream_gives_way_to_polling_while_the_server_is_gone_never_both(qtbot, killable, tmp_path):
    server = killable
    coll, token = _seed(server, tmp_path)
    window = _open(qtbot, server, token)
    qtbot.waitUntil(lambda: window.live.mode == "stream", timeout=10_000)
    modes: list[str] = []
    window.live.modeChanged.connect(modes.append)

    server.kill()
    qtbot.waitUntil(lambda: window.live.mode == "polling", timeout=10_000)
    server.start()
    qtbot.waitUntil(lambda: window.live.mode == "stream", timeout=40_000)  # the first answer restarts it
    assert modes == ["polling", "stream"]  # one at a time, in that order
    other = server.store(token)  # the same artist on another machine
    other.add_texture(coll.id, str(write_image(tmp_path / "late.png", "png_rgb", (48, 48), seed=3)),
                      original_path="/art/late.png")
    qtbot.waitUntil(lambda: "late.png" in _names(window), timeout=10_000)
    assert modes == ["polling", "stream"]
    other.close()
