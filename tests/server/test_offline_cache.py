"""The cached face of a server (store/cached): what was read stays readable when the server dies,
across a restart of the client; writes made offline wait in a durable queue and land once.

A real `vault-server` subprocess (killed with SIGKILL, restarted on the same port), real PNGs."""

from __future__ import annotations

import hashlib

import pytest
from corpus import write_image
from live_server import LiveServer

from server_api.core.errors import VaultError
from server_api.store import open_store
from server_api.store.entities import TextureQuery


@pytest.fixture
def server(tmp_path):
    live = LiveServer(tmp_path / "server", subprocess=True).start()
    live.token = live.add_user("alice", admin=True)
    yield live
    if live.process is not None:
        live.stop()


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _import(store, collection_id, path):
    return store.import_source(collection_id, path, original_path=str(path), sha256=_sha(path))


def _filled(server, tmp_path):
    """A collection 'Props' with three textures, everything read once through the cached face."""
    store = open_store(server.url, token=server.token)
    props = store.create_collection("Props")
    for i, (name, kind, size) in enumerate([("wall_albedo.png", "png_rgb", (64, 64)),
                                            ("wall_normal.png", "png_rgb", (128, 128)),
                                            ("leaf_mask.png", "png_rgba", (32, 32))]):
        _import(store, props.id, write_image(tmp_path / "in" / name, kind, size, seed=i))
    store.list_collections()
    listed = store.list_textures(props.id).items
    for t in listed:
        store.list_versions(t.id)
        store.version_thumbnail(t.current.id)
    return store, props, listed


def test_a_restarted_client_browses_the_kept_copy_while_the_server_is_dead(server, tmp_path):
    store, props, listed = _filled(server, tmp_path)
    thumbs = {t.id: store.version_thumbnail(t.current.id) for t in listed}
    store.close()
    server.kill()

    again = open_store(server.url, token=server.token)  # the app started again, server still gone
    assert [c.name for c in again.list_collections()] == ["Props"]
    assert again.offline
    assert again.cached_at is not None
    page = again.list_textures(props.id)
    assert [t.name for t in page.items] == ["leaf_mask.png", "wall_albedo.png", "wall_normal.png"]
    assert again.count_textures(props.id) == 3
    # the filter language works on the copy: words, fields, negation, sorts
    assert [t.name for t in again.list_textures(props.id, TextureQuery("wall")).items] == [
        "wall_albedo.png", "wall_normal.png"]
    alpha = again.list_textures(props.id, TextureQuery("alpha:yes")).items
    assert [t.name for t in alpha] == ["leaf_mask.png"]
    assert [t.name for t in again.list_textures(props.id, TextureQuery("size:>=100 OR -wall")).items] == [
        "leaf_mask.png", "wall_normal.png"]
    assert again.count_textures(props.id, TextureQuery("format:png -leaf")) == 2
    by_size = again.list_textures(props.id, TextureQuery("", sort="size", descending=True)).items
    assert [t.id for t in by_size] == [t.id for t in sorted(listed, key=lambda t: (t.current.byte_size, t.id),
                                                            reverse=True)]
    for t in listed:
        assert again.get_texture(t.id).name == t.name
        assert [v.number for v in again.list_versions(t.id)] == [1]
        assert again.version_thumbnail(t.current.id) == thumbs[t.id]
    hits = again.search_textures(TextureQuery("wall_n")).items
    assert [(h.texture.name, h.collection) for h in hits] == [("wall_normal.png", "Props")]
    with pytest.raises(VaultError) as refused:  # what needs the server says so, naming the field
        again.list_textures(props.id, TextureQuery("tag:wood"))
    assert refused.value.code == "unavailable" and "tag:" in refused.value.message
    with pytest.raises(VaultError) as not_kept:  # the bytes were never kept offline
        again.open_version(listed[0].current.id)
    assert not_kept.value.code == "unavailable" and "Keep offline" in not_kept.value.message
    again.close()


def test_paging_the_copy_walks_every_row_once(server, tmp_path):
    store = open_store(server.url, token=server.token)
    props = store.create_collection("Many")
    for i in range(7):
        _import(store, props.id, write_image(tmp_path / "in" / f"t{i:02d}.png", "png_rgb", (16, 16), seed=i))
    assert store.sync_collection(props.id, page_size=3) == 7
    store.close()
    server.kill()
    again = open_store(server.url, token=server.token)
    for query in (TextureQuery(), TextureQuery("t0", sort="date", descending=True)):
        names, cursor = [], None
        while True:
            page = again.list_textures(props.id, query, limit=3, cursor=cursor)
            names += [t.name for t in page.items]
            if page.next is None:
                break
            cursor = page.next
        assert sorted(names) == [f"t{i:02d}.png" for i in range(7)] and len(set(names)) == 7
    with pytest.raises(VaultError) as bad:  # offline, a cursor the copy did not make needs the server
        again.list_textures(props.id, cursor="c" + "not-base64!")
    assert bad.value.code == "unavailable" and "not kept" in bad.value.message
    again.close()


def test_an_upload_made_offline_survives_a_restart_and_lands_once(server, tmp_path):
    store, props, listed = _filled(server, tmp_path)
    server.kill()
    new_file = write_image(tmp_path / "in" / "rock.png", "png_rgb", (48, 48), seed=9)
    queued = _import(store, props.id, new_file)
    assert queued.status == "queued" and "queued as #1" in queued.note
    new_file.unlink()  # the queue kept its own copy
    store.close()

    again = open_store(server.url, token=server.token)  # the client restarted, still offline
    assert [p.state for p in again.pending()] == ["pending"]
    with pytest.raises(VaultError):
        again.sync()  # nothing to send to yet
    assert len(again.pending()) == 1
    server.start()
    finished = again.sync()
    assert [(p.state, p.outcome.split(":")[0]) for p in finished] == [("done", "added")]
    assert again.sync() == [] and again.pending() == []  # replayed once, never twice
    names = [t.name for t in again.list_textures(props.id).items]
    assert names.count("rock.png") == 1 and len(names) == 4
    again.close()


def test_a_version_queued_offline_lands_after_a_teammates_in_server_order(server, tmp_path):
    store, props, listed = _filled(server, tmp_path)
    target = listed[0]
    bob = server.store(server.add_user("bob", admin=True))
    server.kill()
    with pytest.raises(VaultError) as queued:
        store.add_version(target.id, write_image(tmp_path / "mine.png", "png_rgb", (64, 64), seed=20))
    assert queued.value.code == "unavailable" and "queued as #1" in queued.value.message
    server.start()
    bob.add_version(target.id, write_image(tmp_path / "bobs.png", "png_rgb", (64, 64), seed=21))
    (done,) = store.sync()
    assert done.outcome == "your version landed as v3 after bob's v2"
    assert [(v.number, v.created_by) for v in store.list_versions(target.id)] == [
        (3, "alice"), (2, "bob"), (1, "alice")]
    bob.close()
    store.close()


def test_keep_offline_downloads_current_bytes_for_use_without_the_server(server, tmp_path):
    store, props, listed = _filled(server, tmp_path)
    files, size = store.offline_size(props.id)
    assert files == 3 and size == sum(t.current.byte_size for t in listed)
    seen = []
    assert store.keep_offline(props.id, progress=lambda done, total: seen.append((done, total))) == size
    assert seen[-1] == (size, size)
    assert store.offline_size(props.id) == (0, 0)
    assert store.keep_offline(props.id) == 0  # nothing fetched twice
    server.kill()
    for t in listed:
        with store.open_version(t.current.id) as f:
            assert hashlib.sha256(f.read()).hexdigest() == t.current.sha256
    store.close()


def test_tags_and_a_comment_made_offline_are_sent_in_order(server, tmp_path):
    from server_api.store.review_entities import Region

    store, props, listed = _filled(server, tmp_path)
    target = listed[0]
    server.kill()
    for call in (lambda: store.tag_textures([target.id], add=["wood"]),
                 lambda: store.add_comment(target.current.id, "seam on the left", Region(0, 0, 0.25, 1))):
        with pytest.raises(VaultError) as queued:
            call()
        assert queued.value.code == "unavailable" and "queued as #" in queued.value.message
    assert [p.what.split(":")[0] for p in store.pending()] == ["tags on 1 texture(s)",
                                                                f"comment on version {target.current.id}"]
    server.start()
    assert [p.state for p in store.sync()] == ["done", "done"]
    assert store.texture_tags(target.id) == ["wood"]
    (comment,) = store.list_comments(target.current.id)
    assert comment.text == "seam on the left" and comment.region == Region(0, 0, 0.25, 1)
    store.close()
