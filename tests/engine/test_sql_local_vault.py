"""The local vault on disk: its folder, its one user, blobs stored once, caches that heal, the root store."""

from __future__ import annotations

import os

import pytest
from corpus import write_image
from sqlalchemy import text

from server_api.core.errors import VaultError
from server_api.store import open_store
from server_api.store.sql.engine import sqlite_url
from server_api.store.sql.store import SqlVaultStore
from server_api.workflows.importing import import_paths


def test_a_new_vault_folder_has_its_database_blobs_and_one_owner(tmp_path):
    store = open_store(tmp_path / "v")
    assert {"vault.db", "blobs", "thumbs", "tmp"} <= set(os.listdir(tmp_path / "v"))
    me = store.current_user()
    assert me.is_admin and me.is_active
    collection = store.create_collection("Mine")
    assert collection.my_level == "owner"
    store.close()
    again = open_store(f"sqlite:///{tmp_path / 'v' / 'vault.db'}")
    assert [c.name for c in again.list_collections()] == ["Mine"]
    assert again.current_user() == me
    again.close()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(local_store):
    with local_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000


def test_a_file_where_the_vault_folder_should_be_is_refused(tmp_path):
    (tmp_path / "v").write_text("not a folder")
    with pytest.raises(VaultError) as err:
        SqlVaultStore.open_local(tmp_path / "v")
    assert err.value.code == "invalid_argument" and str(tmp_path / "v") in err.value.message


def test_identical_bytes_are_stored_once(local_store, tmp_path):
    collection = local_store.create_collection("Dupes")
    a = write_image(tmp_path / "a" / "same.png", seed=7)
    b = write_image(tmp_path / "b" / "same.png", seed=7)
    results = import_paths(local_store, collection.id, [a, b])
    # The import rule: the same bytes at another path are already in the collection.
    assert [r.status for r in results] == ["added", "unchanged"]
    assert results[1].note == "already in the vault as same.png v1"
    assert len(list(local_store.content.iter_hashes())) == 1


def test_a_lost_thumbnail_is_made_again_from_the_blob(local_store, tmp_path):
    collection = local_store.create_collection("Thumbs")
    path = write_image(tmp_path / "a.png", size=(300, 100))
    texture = local_store.add_texture(collection.id, str(path), original_path=str(path))
    first = local_store.version_thumbnail(texture.current.id)
    local_store.content.delete_derived(texture.current.sha256)
    assert local_store.version_thumbnail(texture.current.id) == first
    assert local_store.content.has_derived(texture.current.sha256, "thumbnail")


def test_fsck_names_a_missing_blob(local_store, tmp_path):
    collection = local_store.create_collection("Lost")
    path = write_image(tmp_path / "a.png")
    texture = local_store.add_texture(collection.id, str(path), original_path=str(path))
    local_store.content.blobs.path_for(texture.current.sha256).unlink()
    report = local_store.fsck()
    assert not report.ok
    assert any("missing" in p and f"texture {texture.id} v1" in p for p in report.problems)
    with pytest.raises(VaultError) as err:
        local_store.open_version(texture.current.id).close()
    assert "fsck" in err.value.message


def test_gc_frees_bytes_only_deleted_textures_used(local_store, tmp_path):
    collection = local_store.create_collection("Sweep")
    keep = write_image(tmp_path / "keep.png", seed=1)
    drop = write_image(tmp_path / "drop.png", seed=2)
    kept = local_store.add_texture(collection.id, str(keep), original_path=str(keep))
    dropped = local_store.add_texture(collection.id, str(drop), original_path=str(drop))
    local_store.delete_texture(dropped.id)
    # In the trash its bytes stay (it can be restored); emptying the trash lets gc free them.
    assert local_store.gc(temp_grace_seconds=0, blob_grace_seconds=0).removed_blobs == 0
    assert local_store.content.exists(dropped.current.sha256)
    assert local_store.empty_trash(collection.id) == 1
    (local_store.content.upload_dir / "stale.part").write_bytes(b"half an upload")
    report = local_store.gc(temp_grace_seconds=0, blob_grace_seconds=0)
    assert (report.removed_blobs, report.removed_temp) == (1, 1)
    assert report.freed_bytes == drop.stat().st_size + len(b"half an upload")
    assert local_store.content.exists(kept.current.sha256)
    assert not local_store.content.exists(dropped.current.sha256)
    assert local_store.fsck().ok


def test_gc_spares_fresh_blobs_an_import_may_be_about_to_use(local_store, tmp_path):
    collection = local_store.create_collection("Fresh")
    path = write_image(tmp_path / "a.png")
    texture = local_store.add_texture(collection.id, str(path), original_path=str(path))
    local_store.delete_texture(texture.id)
    assert local_store.gc().removed_blobs == 0  # default grace: an hour


def test_an_oversized_file_is_rejected_and_the_rest_land(tmp_path):
    store = SqlVaultStore.open_local(tmp_path / "v", max_upload_bytes=20_000)
    collection = store.create_collection("Limits")
    small = write_image(tmp_path / "in" / "a_small.png", size=(16, 16))
    big = write_image(tmp_path / "in" / "b_big.tif", "tiff_48_rgb", size=(128, 128))
    results = {r.path: r for r in import_paths(store, collection.id, [tmp_path / "in"])}
    assert results[str(small)].status == "added"
    assert results[str(big)].status == "rejected" and "b_big.tif" in results[str(big)].error
    assert store.count_textures(collection.id) == 1
    assert os.listdir(store.content.upload_dir) == []
    store.close()


def test_the_server_root_store_acts_for_nobody(tmp_path):
    root = SqlVaultStore.open_server(sqlite_url(tmp_path / "s.db"), tmp_path / "data")
    for call in (root.current_user, root.list_collections, lambda: root.create_collection("x")):
        with pytest.raises(VaultError) as err:
            call()
        assert err.value.code == "unauthenticated"
    root.create_admin("boss", "a long password")
    root.for_user("boss").create_user("gone", "a long password")
    root.for_user("boss").set_user_active("gone", False)
    for name in ("gone", "nobody"):
        with pytest.raises(VaultError) as err:
            root.for_user(name)
        assert err.value.code == "unauthenticated"
    root.close()


def test_closing_a_local_vault_releases_its_connections(tmp_path):
    store = SqlVaultStore.open_local(tmp_path / "v")
    store.create_collection("x")
    assert store.engine.pool.checkedin() > 0
    store.close()
    assert store.engine.pool.checkedin() == 0
    view = SqlVaultStore.open_local(tmp_path / "v")
    assert view.list_collections()[0].name == "x"
    view.for_user(view.current_user()).close()  # a view never closes the engine it shares
    assert view.engine.pool.checkedin() > 0
    view.close()
