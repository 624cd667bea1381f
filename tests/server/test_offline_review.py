"""Review reads from the kept copy (store/cached) while the server is dead, after a client restart:
a texture's comments (with their regions), a version's status, the last notifications; a comment
written offline waits in the queue and lands once the server is back. A real `vault-server` subprocess."""

from __future__ import annotations

import pytest
from corpus import write_image
from live_server import LiveServer

from server_api.core.errors import VaultError
from server_api.store import open_store
from server_api.store.review_entities import Region


@pytest.fixture
def server(tmp_path):
    live = LiveServer(tmp_path / "server", subprocess=True).start()
    live.add_user("root", admin=True)
    yield live
    if live.process is not None:
        live.stop()


def test_comments_status_and_notifications_read_offline_after_a_restart(server, tmp_path):
    wanda_token, rita_token = server.add_user("wanda"), server.add_user("rita")
    wanda = open_store(server.url, token=wanda_token)
    rita = open_store(server.url, token=rita_token)
    coll = wanda.create_collection("Props")
    wanda.set_grant(coll.id, "rita", "read")
    path = write_image(tmp_path / "wall.png", seed=1)
    texture = wanda.add_texture(coll.id, str(path), original_path=str(path))
    version_id = texture.current.id
    rita.add_comment(version_id, "seam here", Region(0.5, 0.0, 0.25, 0.5))
    wanda.set_review_status(version_id, "changes_requested")
    seen = (wanda.texture_comments(texture.id), wanda.list_comments(version_id),
            wanda.review_state(version_id), wanda.notifications(50))
    assert seen[3].unread == 1
    wanda.close()
    rita.close()
    server.kill()

    again = open_store(server.url, token=wanda_token)  # the app started again; the server is gone
    assert again.texture_comments(texture.id) == seen[0]
    assert again.list_comments(version_id)[0].region == Region(0.5, 0.0, 0.25, 0.5)
    assert again.review_state(version_id).status == "changes_requested"
    assert again.notifications(50) == seen[3] and again.offline
    with pytest.raises(VaultError) as offline:  # queued, and said so
        again.add_comment(version_id, "written on a train", Region(0.0, 0.5, 0.5, 0.5))
    assert offline.value.code == "unavailable" and "queued" in offline.value.message
    server.restart()
    again.sync()
    landed = [(c.text, c.region) for c in again.list_comments(version_id)]
    assert landed == [("seam here", Region(0.5, 0.0, 0.25, 0.5)),
                      ("written on a train", Region(0.0, 0.5, 0.5, 0.5))]
    again.close()
