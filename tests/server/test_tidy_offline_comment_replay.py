"""Comments through the offline copy are never posted twice (issue 16 leftover), over real HTTP: a real
server behind a proxy that loses an answer AFTER the server did the work. Whether the answer to the
online send or to the queue's replay is lost, the replay finds the comment that landed and posts
nothing; two equal comments queued on purpose stay two."""

from __future__ import annotations

import hashlib
import socket
import threading

import pytest
from corpus import write_image
from live_server import LiveServer

from server.flaky_proxy import FlakyProxy
from server_api.core.errors import VaultError
from server_api.store import open_store
from server_api.store.review_entities import Region


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path / "server") as live:
        live.token = live.add_user("alice", admin=True)
        yield live


@pytest.fixture
def proxied(server, tmp_path):
    """The offline copy (CachedRemoteStore) talking to the server through the proxy, and a version."""
    proxy = FlakyProxy(server.port)
    store = open_store(proxy.url, token=server.token)
    props = store.create_collection("Props")
    path = write_image(tmp_path / "wall.png", "png_rgb", (32, 32), seed=1)
    texture = store.import_source(props.id, path, original_path=str(path),
                                  sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    yield store, proxy, store.get_texture(texture.texture_id).current.id
    store.close()
    proxy.close()


def _comments(server, version_id):
    direct = server.store(server.token)  # straight to the server, no copy, no proxy
    try:
        return [(c.author, c.text, c.region) for c in direct.list_comments(version_id)]
    finally:
        direct.close()


def _losing_the_comments_answer(monkeypatch, proxy, remote):
    """The proxy loses the answer to the next comment POST: it reaches the server, which stores it."""
    real_add = remote.add_comment

    def then_lose_its_answer(*args, **kwargs):
        proxy.drop_next_answer = True  # the POST reaches the server; its answer never comes back
        return real_add(*args, **kwargs)

    monkeypatch.setattr(remote, "add_comment", then_lose_its_answer)


def test_the_online_answer_lost_after_the_server_stored_it_replays_to_one_comment(server, proxied,
                                                                                    monkeypatch):
    store, proxy, version_id = proxied
    region = Region(0.1, 0.2, 0.25, 0.5)
    _losing_the_comments_answer(monkeypatch, proxy, store.remote)  # the online send
    with pytest.raises(VaultError) as queued:
        store.add_comment(version_id, "seam on the left", region)
    monkeypatch.undo()
    assert proxy.dropped == 1
    assert queued.value.code == "unavailable" and "queued as #1" in queued.value.message
    assert _comments(server, version_id) == [("alice", "seam on the left", region)]  # it did land
    (done,) = store.sync()
    assert done.state == "done" and done.outcome.startswith("comment ")
    assert store.sync() == [] and store.pending() == []
    assert _comments(server, version_id) == [("alice", "seam on the left", region)]  # once, not twice


class SturdyProxy(FlakyProxy):
    """The FlakyProxy, surviving its server's death: a connection it cannot pass on is closed."""

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                client.close()  # the server is down: the client hears nothing, as without a proxy
                continue
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()


def test_the_replays_answer_lost_after_the_server_stored_it_still_one_comment(tmp_path, monkeypatch):
    server = LiveServer(tmp_path / "server", subprocess=True).start()
    proxy = SturdyProxy(server.port)
    try:
        server.token = server.add_user("alice", admin=True)
        store = open_store(proxy.url, token=server.token)
        props = store.create_collection("Props")
        path = write_image(tmp_path / "wall.png", "png_rgb", (32, 32), seed=1)
        made = store.import_source(props.id, path, original_path=str(path),
                                   sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        version_id = store.get_texture(made.texture_id).current.id
        server.kill()
        with pytest.raises(VaultError) as queued:
            store.add_comment(version_id, "fix the seam")  # offline: queued, never sent
        assert queued.value.code == "unavailable" and "queued as #1" in queued.value.message
        server.start()
        _losing_the_comments_answer(monkeypatch, proxy, store.remote)  # the replay's send
        assert store.sync() == []  # the replay's POST landed, its answer was lost: still pending
        assert [p.state for p in store.pending()] == ["pending"]
        assert _comments(server, version_id) == [("alice", "fix the seam", None)]
        monkeypatch.undo()
        (done,) = store.sync()
        assert done.state == "done" and store.pending() == []
        assert _comments(server, version_id) == [("alice", "fix the seam", None)]  # once, not twice
        assert proxy.dropped == 1
        store.close()
    finally:
        proxy.close()
        if server.process is not None:
            server.stop()


def test_two_equal_comments_queued_offline_stay_two(tmp_path):
    server = LiveServer(tmp_path / "server", subprocess=True).start()
    try:
        token = server.add_user("alice", admin=True)
        store = open_store(server.url, token=token)
        props = store.create_collection("Props")
        path = write_image(tmp_path / "wall.png", "png_rgb", (32, 32), seed=1)
        made = store.import_source(props.id, path, original_path=str(path),
                                   sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        version_id = store.get_texture(made.texture_id).current.id
        server.kill()
        for _ in range(2):
            with pytest.raises(VaultError):
                store.add_comment(version_id, "+1")
        server.start()
        assert [p.state for p in store.sync()] == ["done", "done"]
        assert [c.text for c in store.list_comments(version_id)] == ["+1", "+1"]
        store.close()
    finally:
        if server.process is not None:
            server.stop()
