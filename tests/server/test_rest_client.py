"""RestVaultStore against a real server: lost answers, dead and restarted servers, verified downloads."""

from __future__ import annotations

import threading

import pytest
import requests
from corpus import write_image
from live_server import LiveServer, free_port

from server.flaky_proxy import FlakyProxy
from server_api.core.errors import VaultError
from server_api.store import open_store
from server_api.store.rest.client import RestVaultStore


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path / "server") as live:
        live.token = live.add_user("root", admin=True)
        yield live


def test_a_lost_answer_to_an_upload_is_retried_without_a_second_texture_or_version(server, tmp_path):
    proxy = FlakyProxy(server.port)
    store = RestVaultStore(proxy.url, token=server.token)
    try:
        collection = store.create_collection("Props").id
        proxy.drop_next_answer = True
        texture = store.add_texture(collection, write_image(tmp_path / "a.png"), original_path="/art/a.png")
        proxy.drop_next_answer = True
        version = store.add_version(texture.id, write_image(tmp_path / "b.png", seed=5))
    finally:
        store.close()
        proxy.close()
    assert proxy.dropped == 2
    direct = server.store(server.token)
    assert [t.id for t in direct.list_textures(collection).items] == [texture.id]
    assert [v.number for v in direct.list_versions(texture.id)] == [2, 1] and version.number == 2


def test_an_unreachable_server_is_unavailable_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    store = open_store(url, token="whatever")
    with pytest.raises(VaultError) as caught:
        store.list_collections()
    assert caught.value.code == "unavailable"
    assert caught.value.message.startswith(f"server {url} unreachable: ")
    assert "refused" in caught.value.message.lower()
    assert store.kind == "remote"


def test_a_server_killed_mid_session_comes_back_on_the_same_token(tmp_path):
    server = LiveServer(tmp_path / "server", subprocess=True).start()
    try:
        store = server.store(server.add_user("root", admin=True))
        made = store.create_collection("Before the crash")
        server.kill()
        with pytest.raises(VaultError) as caught:
            store.list_collections()
        assert caught.value.code == "unavailable"
        server.start()
        assert [c.id for c in store.list_collections()] == [made.id]
    finally:
        server.stop()


def test_downloads_stream_the_exact_bytes_with_their_sha256_as_etag(server, tmp_path):
    store = server.store(server.token)
    path = write_image(tmp_path / "a.tif", "tiff_16_gray", size=(300, 200))
    texture = store.add_texture(store.create_collection("C").id, path, original_path="/art/a.tif")
    with store.open_version(texture.current.id) as stream:
        assert stream.read() == path.read_bytes()
    url = f"{server.url}/api/v1/versions/{texture.current.id}/file"
    auth = {"Authorization": f"Bearer {server.token}"}
    first = requests.get(url, headers=auth, timeout=10)
    assert first.headers["ETag"] == f'"{texture.current.sha256}"'
    again = requests.get(url, headers={**auth, "If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304 and again.content == b""


def test_thumbnails_are_cacheable_images(server, tmp_path):
    store = server.store(server.token)
    texture = store.add_texture(store.create_collection("C").id, write_image(tmp_path / "a.png", "png_rgba"),
                                original_path="/art/a.png")
    answer = requests.get(f"{server.url}/api/v1/versions/{texture.current.id}/thumbnail",
                          headers={"Authorization": f"Bearer {server.token}"}, timeout=10)
    assert answer.status_code == 200
    assert "immutable" in answer.headers["Cache-Control"] and answer.headers["ETag"]
    assert answer.headers["Content-Type"] in ("image/png", "image/webp")  # alpha kept
    assert answer.content == store.version_thumbnail(texture.current.id)


def test_login_with_a_wrong_password_is_the_same_vault_error(server):
    with pytest.raises(VaultError) as caught:
        RestVaultStore.login(server.url, "root", "not the password")
    assert caught.value.code == "unauthenticated"


@pytest.mark.parametrize("who, limit, code", [("reader", 1 << 30, "permission_denied"),
                                               ("writer", 8 << 20, "too_large")])
def test_an_upload_refused_mid_stream_is_the_servers_reason_not_a_lost_connection(tmp_path, who, limit, code):
    with LiveServer(tmp_path / "server", max_upload_bytes=limit) as server:
        admin = server.store(server.add_user("root", admin=True))
        collection = admin.create_collection("C").id
        admin.create_user(who, "a long enough password")
        admin.set_grant(collection, who, "read" if who == "reader" else "write")
        store = server.store(server.login(who, "a long enough password"))
        big = tmp_path / "big.png"
        big.write_bytes(write_image(tmp_path / "a.png").read_bytes() + bytes(48 << 20))
        with pytest.raises(VaultError) as caught:
            store.add_texture(collection, big, original_path="/art/big.png")
        assert caught.value.code == code


@pytest.mark.parametrize("bad_id", [0, -1, 2**40])
def test_ids_that_name_nothing_are_not_found_as_on_the_local_vault(server, local_store, bad_id):
    remote = server.store(server.token)
    for store in (remote, local_store):
        for call in (store.get_collection, store.get_texture, store.list_versions, store.open_version):
            with pytest.raises(VaultError) as caught:
                call(bad_id)
            assert caught.value.code == "not_found", (store, call.__name__)


def test_a_server_back_within_a_second_goes_unnoticed_by_reads(server):
    store = server.store(server.token)
    made = store.create_collection("Still here")
    server.stop()
    comeback = threading.Timer(0.3, server.start)  # same port, same data
    comeback.start()
    try:
        assert [c.id for c in store.list_collections()] == [made.id]  # retried with backoff
    finally:
        comeback.join()
