"""`vault-server backup` / `restore`: a filled server (SQLite and PostgreSQL) is backed up, restored
into a fresh place, served again, and answers the same listings, bytes and histories over HTTP; a
backup into a non-empty folder, a restore over a vault, and a damaged or unfinished backup are
refused and change nothing."""

from __future__ import annotations

import json

import pytest
from corpus import write_image
from live_server import LiveServer
from postgres import fresh_database_url

from server_api.cli.server import main
from server_api.core.settings import settings


def fill(store, tmp_path):
    collection = store.create_collection("Props")
    wall = store.add_texture(collection.id, str(write_image(tmp_path / "a" / "wall.png", seed=1)),
                             original_path="/art/wall.png", note="first")
    store.add_version(wall.id, str(write_image(tmp_path / "a" / "w2.png", seed=2)), note="warmer")
    store.add_texture(collection.id, str(write_image(tmp_path / "a" / "floor.png", seed=3)),
                      original_path="/art/floor.png")
    store.tag_textures([wall.id], add=["brick"])


def seen(store):
    """Everything a client sees of the vault, bytes and thumbnails included."""
    out = {}
    for collection in store.list_collections():
        for t in store.list_textures(collection.id).items:
            versions = sorted(store.list_versions(t.id), key=lambda v: v.number)
            out[(collection.name, t.original_path)] = (
                [(v.number, v.sha256, v.note, v.created_by, v.created_at, v.is_current) for v in versions],
                [store.open_version(v.id).read() for v in versions],
                store.texture_tags(t.id), len(store.version_thumbnail(t.current.id)) > 0)
    return out


def run(*args, rc=0):
    code = main([str(a) for a in args])
    assert code == rc
    settings.cache_clear()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_backup_and_restore_bring_back_the_same_server(database, tmp_path, monkeypatch, capsys):
    url = fresh_database_url() if database == "postgresql" else None
    if url:
        monkeypatch.setenv("VAULT_DATABASE_URL", url)
    settings.cache_clear()
    first = LiveServer(tmp_path / "data", database_url=url).start()
    try:
        first.add_user("root", admin=True)
        store = first.store(first.login("root"))
        fill(store, tmp_path)
        before = seen(store)
        run("backup", tmp_path / "backup", "--data", tmp_path / "data")
        assert "backed up the" in capsys.readouterr().out
        run("backup", tmp_path / "backup", "--data", tmp_path / "data", rc=2)  # not into a used folder
        assert "not empty" in capsys.readouterr().err
    finally:
        first.stop()
    manifest = json.loads((tmp_path / "backup" / "backup.json").read_text())
    assert (manifest["database"], manifest["blobs"]) == (database, 3)

    url2 = fresh_database_url() if database == "postgresql" else None
    if url2:
        monkeypatch.setenv("VAULT_DATABASE_URL", url2)
    settings.cache_clear()
    run("restore", tmp_path / "backup", "--data", tmp_path / "data2")
    run("restore", tmp_path / "backup", "--data", tmp_path / "data2", rc=2)  # a vault is there now
    assert "already holds a vault" in capsys.readouterr().err
    second = LiveServer(tmp_path / "data2", database_url=url2).start()
    try:
        assert seen(second.store(second.login("root"))) == before  # the same accounts, too
    finally:
        second.stop()


def test_a_damaged_or_unfinished_backup_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("VAULT_DATABASE_URL", raising=False)
    settings.cache_clear()
    server = LiveServer(tmp_path / "data").start()
    try:
        server.add_user("root", admin=True)
        fill(server.store(server.login("root")), tmp_path)
    finally:
        server.stop()
    run("backup", tmp_path / "b", "--data", tmp_path / "data")
    blob = next((tmp_path / "b" / "blobs").iterdir())
    blob.write_bytes(blob.read_bytes()[:-1] + b"\0")
    run("restore", tmp_path / "b", "--data", tmp_path / "target", rc=2)
    assert "damaged" in capsys.readouterr().err
    assert not (tmp_path / "target" / "vault.db").exists()  # nothing of the database was put back
    (tmp_path / "b" / "backup.json").unlink()
    run("restore", tmp_path / "b", "--data", tmp_path / "target2", rc=2)
    assert "not a finished backup" in capsys.readouterr().err
