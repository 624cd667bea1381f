"""Retention through the cached face of a server (what `open_store(URL)` gives the app): the policy
read while online stays readable when the server dies; setting it, previewing it and the version
trash need the server and say so (never queued: a policy applies to what the server holds now).

A real `vault-server` subprocess (killed with SIGKILL), real PNGs."""

from __future__ import annotations

import pytest
from corpus import write_image
from live_server import LiveServer

from server_api.core.errors import VaultError
from server_api.store import open_store


@pytest.fixture
def server(tmp_path):
    live = LiveServer(tmp_path / "server", subprocess=True).start()
    live.token = live.add_user("alice", admin=True)
    yield live
    if live.process is not None:
        live.stop()


def test_the_policy_reads_offline_and_changes_are_refused_not_queued(server, tmp_path):
    store = open_store(server.url, token=server.token)
    props = store.create_collection("Props")
    first = write_image(tmp_path / "a.png", seed=1)
    texture = store.add_texture(props.id, str(first), original_path="/a.png")
    old = texture.current
    store.add_version(texture.id, str(write_image(tmp_path / "b.png", seed=2)))
    assert store.set_retention(props.id, 1).versions == 1
    assert store.retention(props.id).keep_last == 1  # read once online: kept
    server.kill()

    assert store.retention(props.id).keep_last == 1
    for call in (lambda: store.set_retention(props.id, 3), lambda: store.retention_preview(props.id, 2),
                 lambda: store.restore_version(old.id), lambda: store.empty_version_trash(props.id),
                 lambda: store.list_version_trash(props.id)):
        with pytest.raises(VaultError) as refused:
            call()
        assert refused.value.code == "unavailable"
    assert store.pending() == []  # nothing waits to be replayed later
    store.close()
