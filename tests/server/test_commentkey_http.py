"""The comment POST's Idempotency-Key over real HTTP (issue 16 leftover): 201 with the same comment for
a repeat, 409 naming the key for other text, 400 for a key too long; and the offline queue keeps the
key it gave a comment in its file, so a client restarted after a lost answer still posts it once."""

from __future__ import annotations

import pytest
import requests
from corpus import write_image
from live_server import LiveServer

from server.flaky_proxy import FlakyProxy
from server_api.core.errors import VaultError
from server_api.store import open_store


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path / "server") as live:
        live.token = live.add_user("alice", admin=True)
        vault = live.store(live.token)
        path = write_image(tmp_path / "wall.png", "png_rgb", (32, 32), seed=1)
        texture = vault.add_texture(vault.create_collection("Props").id, str(path), original_path=str(path))
        live.version_id = texture.current.id
        vault.close()
        yield live


def post(server, body, key=None):
    headers = {"Authorization": f"Bearer {server.token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return requests.post(f"{server.url}/api/v1/versions/{server.version_id}/comments", json=body,
                         headers=headers, timeout=30)


def test_a_repeated_key_answers_201_with_the_first_comment_and_other_text_is_409(server):
    body = {"text": "seam on the left", "region": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}}
    first = post(server, body, key="abc-123")
    again = post(server, body, key="abc-123")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    other = post(server, {"text": "seam on the right", "region": body["region"]}, key="abc-123")
    assert other.status_code == 409 and other.json()["code"] == "conflict"
    assert "'abc-123'" in other.json()["message"]
    too_long = post(server, body, key="k" * 129)
    assert too_long.status_code == 400 and too_long.json()["code"] == "invalid_argument"
    assert post(server, body).status_code == 201  # no key: a new comment, as before
    listed = requests.get(f"{server.url}/api/v1/versions/{server.version_id}/comments",
                          headers={"Authorization": f"Bearer {server.token}"}, timeout=30).json()
    assert len(listed["items"]) == 2


def test_a_queued_comment_keeps_its_key_across_a_restart_of_the_client(server, tmp_path, monkeypatch):
    """Sent online, the answer lost (queued); the app quits; the reopened copy replays with the key
    from the queue's file: one comment."""
    proxy = FlakyProxy(server.port)
    try:
        store = open_store(proxy.url, token=server.token)
        store.ping()
        real_add = store.remote.add_comment

        def losing_its_answer(*args, **kwargs):
            proxy.drop_next_answer = True  # the POST reaches the server; its answer never comes back
            return real_add(*args, **kwargs)

        monkeypatch.setattr(store.remote, "add_comment", losing_its_answer)
        with pytest.raises(VaultError) as queued:
            store.add_comment(server.version_id, "fix the seam")
        assert queued.value.code == "unavailable" and "queued as #1" in queued.value.message
        store.close()  # the app quits with the entry pending
        monkeypatch.undo()
        reopened = open_store(proxy.url, token=server.token)
        (done,) = reopened.sync()
        assert done.state == "done" and reopened.pending() == []
        assert [c.text for c in reopened.list_comments(server.version_id)] == ["fix the seam"]
        reopened.close()
    finally:
        proxy.close()
