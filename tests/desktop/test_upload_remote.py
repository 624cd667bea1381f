"""Uploads to a real server: streamed with progress, clear reasons when the server is gone or the
level is too low, and a retry after the server is back that makes no duplicates."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import os

import pytest
from corpus import write_image
from live_server import LiveServer
from PIL import Image
from test_shared_fixtures import lanes  # noqa: F401 - fixtures

from vault_desktop.upload import steps
from vault_desktop.upload.pane import UploadPane
from vault_desktop.upload.queue import UploadQueue
from vault_desktop.upload.rows import DONE, FAILED, UPLOADING

pytestmark = pytest.mark.slow  # a server in a child process, killed and started again



@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path / "server", subprocess=True).start()
    server.add_user("root", admin=True)
    yield server
    server.stop()


def make_pane(qtbot, lanes, store, collection) -> UploadPane:
    pane = UploadPane(UploadQueue(lanes), lanes)
    qtbot.addWidget(pane)
    pane.set_store(store, collection)
    qtbot.waitUntil(lambda: pane.target_collection_id() == collection.id, timeout=5_000)
    return pane


def drop_and_wait(qtbot, pane, paths) -> None:
    with qtbot.waitSignal(pane.queue.added):
        pane.drop_paths([str(p) for p in paths])
    qtbot.waitUntil(lambda: pane.queue.pending_count() == 0, timeout=60_000)


class RecordingBoard(steps.ProgressBoard):
    """Keeps every report, not just the latest, to see a stream move."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, float]] = []

    def report(self, key: int, state: str, phase_fraction: float = 0.0) -> None:
        super().report(key, state, phase_fraction)
        self.seen.append((state, phase_fraction))


def test_a_big_file_streams_with_progress(server, tmp_path):
    store = server.store(server.login("root"))
    collection = store.create_collection("Big")
    path = tmp_path / "noise.png"
    Image.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3)).save(path)  # ~4 MB, incompressible
    board = RecordingBoard()
    sha256 = steps.hash_file(str(path), lambda _f: None, lambda: False)

    written = steps.write(store, collection.id, str(path), sha256, "key-1", 1, board, lambda: False)

    uploads = [f for state, f in board.seen if state == UPLOADING]
    assert len(uploads) >= 4 and uploads == sorted(uploads) and uploads[-1] == 1.0
    assert written.action == "add" and store.get_texture(written.texture_id).current.sha256 == sha256


def test_server_gone_is_named_and_retry_after_it_is_back_makes_no_duplicates(qtbot, lanes, server,
                                                                           tmp_path):
    store = server.store(server.add_user("alice"))
    collection = store.create_collection("Remote")
    pane = make_pane(qtbot, lanes, store, collection)
    drop_and_wait(qtbot, pane, [write_image(tmp_path / "first.png", seed=1)])

    server.kill()
    later = [write_image(tmp_path / f"later_{i}.png", seed=10 + i) for i in range(2)]
    drop_and_wait(qtbot, pane, later)
    failed = [r for r in pane.queue.model.rows() if r.name.startswith("later")]
    assert [r.state for r in failed] == [FAILED, FAILED]
    # Said once: "server http://… unreachable: …", never "server unreachable: server … unreachable".
    assert all(r.reason.startswith(f"server {server.url}") and r.reason.count("unreachable") == 1
               for r in failed), [r.reason for r in failed]
    assert pane.retry.isEnabled()

    server.start()
    assert pane.queue.retry() == 2
    qtbot.waitUntil(lambda: pane.queue.pending_count() == 0, timeout=60_000)
    assert [r.state for r in pane.queue.model.rows()] == [DONE, DONE, DONE]
    names = sorted(t.name for t in store.list_textures(collection.id).items)
    assert names == ["first.png", "later_0.png", "later_1.png"]
    assert all(t.version_count == 1 for t in store.list_textures(collection.id).items)


def test_read_only_access_is_named_no_permission(qtbot, lanes, server, tmp_path):
    alice = server.store(server.add_user("alice"))
    bob = server.store(server.add_user("bob"))
    collection = alice.create_collection("Look only")
    alice.set_grant(collection.id, "bob", "read")
    queue = UploadQueue(lanes)
    queue.set_store(bob)

    with qtbot.waitSignal(queue.added):
        queue.add_paths([str(write_image(tmp_path / "nope.png"))], collection.id)
    qtbot.waitUntil(lambda: queue.pending_count() == 0, timeout=20_000)

    row = queue.model.rows()[0]
    assert row.state == FAILED and row.reason.startswith("no permission: ")
    assert alice.count_textures(collection.id) == 0
