"""The SQL vault's batched import: same outcomes as the per-file path, far fewer statements."""

from __future__ import annotations

import os

import pytest
from corpus import write_corrupt, write_image
from sqlalchemy import event

from server_api.store.entities import TextureQuery
from server_api.store.sql import batch_import
from server_api.store.sql.engine import sqlite_url
from server_api.store.sql.store import SqlVaultStore
from server_api.workflows.importing import import_file, import_paths


@pytest.fixture
def server(tmp_path):
    """A SQL store with accounts: lead owns collections, others get grants."""
    root = SqlVaultStore.open_server(sqlite_url(tmp_path / "s.db"), tmp_path / "data")
    root.create_admin("admin", None)
    for name in ("lead", "reader", "writer"):
        root.for_user("admin").create_user(name, None)
    yield root
    root.close()


def count_statements(store: SqlVaultStore) -> list[str]:
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_mixed_drop_gives_every_status_in_one_call(local_store, tmp_path):
    collection = local_store.create_collection("Mixed")
    drop = tmp_path / "drop"
    same = write_image(drop / "a_same.png", seed=1)
    changed = write_image(drop / "b_changed.png", seed=2)
    [first_same, first_changed] = import_paths(local_store, collection.id, [same, changed])
    before = local_store.get_texture(first_changed.texture_id)
    write_image(changed, seed=3)
    write_image(drop / "c_new.jpg", "jpeg", seed=4)
    write_corrupt(drop / "d_bad.png")

    results = {os.path.basename(r.path): r for r in import_paths(local_store, collection.id, [drop])}

    assert {n: r.status for n, r in results.items()} == {
        "a_same.png": "unchanged", "b_changed.png": "new_version", "c_new.jpg": "added",
        "d_bad.png": "rejected"}
    assert results["a_same.png"].texture_id == first_same.texture_id and results["a_same.png"].version == 1
    assert results["b_changed.png"].texture_id == first_changed.texture_id
    assert results["b_changed.png"].version == 2
    assert (results["c_new.jpg"].version, results["c_new.jpg"].format) == (1, "JPEG")
    assert "d_bad.png" in results["d_bad.png"].error and results["d_bad.png"].texture_id is None
    after = local_store.get_texture(first_changed.texture_id)
    assert after.current.number == 2 and after.version_count == 2 and after.updated_at > before.updated_at
    assert after.created_at == before.created_at
    assert local_store.count_textures(collection.id) == 3
    assert local_store.fsck().ok
    assert os.listdir(local_store.content.upload_dir) == []


def test_rows_match_what_the_per_file_path_writes(local_store, tmp_path):
    collection = local_store.create_collection("Same rows")
    batched = write_image(tmp_path / "a" / "wall.png", "png_16", seed=5)
    single = write_image(tmp_path / "b" / "wall.png", "png_16", seed=5)
    [landed] = import_paths(local_store, collection.id, [batched])
    one = import_file(local_store, collection.id, single)
    a, b = local_store.get_texture(landed.texture_id), local_store.get_texture(one.texture_id)
    assert (a.name, a.version_count, a.current.sha256) == (b.name, b.version_count, b.current.sha256)
    assert a.current.bit_depth == b.current.bit_depth == 16
    assert a.current.created_by == b.current.created_by == local_store.current_user().username
    assert a.original_path == str(batched.resolve()) and a.created_at == a.updated_at
    assert (a.current.is_current, a.current.note, a.published_version_id) == (True, "", None)


def test_many_files_cost_a_few_statements_not_several_per_file(local_store, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_import, "BATCH_WAIT", 30.0)  # wait for all: one batch, however slow
    collection = local_store.create_collection("Cheap")
    for i in range(40):
        write_image(tmp_path / "in" / f"t{i:02}.png", size=(16, 16), seed=i)
    statements = count_statements(local_store)
    results = import_paths(local_store, collection.id, [tmp_path / "in"], workers=4)
    assert [r.status for r in results] == ["added"] * 40
    # the per-file path ran ~9 per file; the import rule adds two batched SELECTs (same bytes here, elsewhere)
    # and the fingerprints two batched INSERTs (blob_hash, blob_colour); the collection's QA rules are
    # read before the transaction (do they need pixels decoded?) and inside it (a BEGIN and a SELECT each)
    assert len(statements) <= 18, statements
    assert sum(s.startswith("INSERT INTO blob_") for s in statements) == 2
    # once up front, once per batch, once looking for the same bytes in other collections
    assert sum("collection_permission" in s for s in statements) == 3
    assert local_store.count_textures(collection.id) == 40


def test_a_reader_gets_each_files_own_answer(server, tmp_path):
    lead, reader = server.for_user("lead"), server.for_user("reader")
    collection = lead.create_collection("Shared")
    lead.set_grant(collection.id, "reader", "read")
    kept = write_image(tmp_path / "in" / "kept.png", seed=1)
    import_paths(lead, collection.id, [kept])
    new = write_image(tmp_path / "in" / "new.png", seed=2)

    results = {os.path.basename(r.path): r for r in import_paths(reader, collection.id, [tmp_path / "in"])}

    assert results["kept.png"].status == "unchanged"
    assert results["new.png"].status == "rejected"
    assert "write access" in results["new.png"].error and "Shared" in results["new.png"].error
    assert lead.count_textures(collection.id) == 1
    assert not lead.find_texture(collection.id, original_path=str(new.resolve()))


def test_a_grant_revoked_mid_import_stops_the_next_batch(server, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_import, "BATCH_FILES", 1)
    lead, writer = server.for_user("lead"), server.for_user("writer")
    collection = lead.create_collection("Revoked")
    lead.set_grant(collection.id, "writer", "write")
    for i in range(6):
        write_image(tmp_path / "in" / f"t{i}.png", seed=i)
    seen = []

    def revoke_after_first(result):
        seen.append(result)
        if len(seen) == 1:
            lead.revoke_grant(collection.id, "writer")

    results = import_paths(writer, collection.id, [tmp_path / "in"], workers=2, on_result=revoke_after_first)

    assert [r.status for r in results].count("added") == 1
    refused = [r for r in results if r.status == "rejected"]
    assert len(refused) == 5 and all("not found" in r.error for r in refused), refused
    assert lead.count_textures(collection.id) == 1


def test_an_import_sees_textures_landed_by_another_import_meanwhile(local_store, tmp_path, monkeypatch):
    """The worker saw no texture at the path; by the time its batch is written another import made
    one: the same bytes are "unchanged", different bytes become the next version."""
    collection = local_store.create_collection("Late")
    write_image(tmp_path / "in" / "same.png", seed=1)
    other = write_image(tmp_path / "in" / "other.png", seed=2)
    real_prepare = batch_import._prepare

    def land_first_elsewhere(store, path, current):
        prepared = real_prepare(store, path, current)
        if path == str(other.resolve()):
            twin = write_image(tmp_path / "twin.png", seed=3)
            store.add_texture(collection.id, str(twin), original_path=path)
        else:
            store.add_texture(collection.id, path, original_path=path)
        return prepared

    monkeypatch.setattr(batch_import, "_prepare", land_first_elsewhere)
    landed = import_paths(local_store, collection.id, [tmp_path / "in"])
    results = {os.path.basename(r.path): r for r in landed}

    assert (results["same.png"].status, results["same.png"].version) == ("unchanged", 1)
    assert (results["other.png"].status, results["other.png"].version) == ("new_version", 2)
    textures = local_store.list_textures(collection.id, TextureQuery()).items
    assert sorted(t.version_count for t in textures) == [1, 2]


def test_the_per_file_calls_return_what_reading_back_gives(local_store, tmp_path):
    """add_texture/add_version build their answer without reloading: it must equal a fresh read."""
    collection = local_store.create_collection("Answers")
    path = write_image(tmp_path / "wall.png", "png_rgba", seed=1)
    texture = local_store.add_texture(collection.id, str(path), original_path=str(path), note="first")
    assert texture == local_store.get_texture(texture.id)
    write_image(path, "tiff_16_gray", seed=2)
    kept = local_store.add_version(texture.id, str(path), note="kept aside", make_current=False)
    write_image(path, "jpeg", seed=3)
    latest = local_store.add_version(texture.id, str(path))
    assert [latest, kept] == local_store.list_versions(texture.id)[:2]
    assert (kept.is_current, latest.is_current, latest.number) == (False, True, 3)
    assert local_store.get_texture(texture.id).updated_at == latest.created_at


@pytest.mark.postgres
def test_batches_on_postgresql_give_the_same_statuses(tmp_path):
    from postgres import fresh_database_url

    root = SqlVaultStore.open_server(fresh_database_url(), tmp_path / "data")
    root.create_admin("lead", None)
    lead = root.for_user("lead")
    collection = lead.create_collection("On PG")
    drop = tmp_path / "drop"
    for i in range(5):
        write_image(drop / f"t{i}.png", seed=i)
    assert [r.status for r in import_paths(lead, collection.id, [drop])] == ["added"] * 5
    write_image(drop / "t0.png", seed=10)
    write_corrupt(drop / "t9.png")
    statuses = [r.status for r in import_paths(lead, collection.id, [drop])]
    assert statuses == ["new_version", "unchanged", "unchanged", "unchanged", "unchanged", "rejected"]
    assert lead.count_textures(collection.id) == 5 and lead.fsck().ok
    root.close()
