"""Batched durability (issue 9): a batch of small files costs a flush or two, not two fsyncs per file,
and still every imported file has its blob, its row and its thumbnail; no row names a blob that
was not flushed, and one bad blob in a batch fails alone."""

from __future__ import annotations

import os

import pytest
from corpus import write_image

from server_api.content import blobs, durable
from server_api.content.blobs import BlobStore
from server_api.content.store import THUMBNAIL
from server_api.core.errors import VaultError
from server_api.store.sql import batch_import
from server_api.workflows.importing import import_paths


def counting(monkeypatch, module, name: str) -> list[int]:
    """Count the calls of a real function (it still runs)."""
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_batch_flushes_once_or_twice_and_every_file_has_blob_row_and_thumbnail(
        local_store, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_import, "BATCH_WAIT", 30.0)  # wait for full batches, however slow
    collection = local_store.create_collection("Flushed")
    for i in range(100):
        write_image(tmp_path / "in" / f"t{i:03}.png", size=(24, 24), seed=i)
    flushes = counting(monkeypatch, blobs, "sync_many")
    per_file = counting(monkeypatch, blobs, "replace_durably")
    lands = counting(monkeypatch, batch_import, "land")

    results = import_paths(local_store, collection.id, [tmp_path / "in"], workers=2)

    assert [r.status for r in results] == ["added"] * 100
    assert len(lands) == 2  # 64 + 36 files
    assert len(flushes) == 2 * len(lands) and not per_file  # temp files, then renames: per batch
    for result in results:
        version = local_store.get_texture(result.texture_id).current
        assert local_store.content.stat(version.sha256) == version.byte_size
        assert local_store.content.verify(version.sha256)
        assert local_store.content.has_derived(version.sha256, THUMBNAIL)
    assert local_store.fsck().ok
    assert os.listdir(local_store.content.upload_dir) == []


def test_a_failed_flush_rejects_its_batch_and_keeps_no_row_or_temp_file(local_store, tmp_path, monkeypatch):
    collection = local_store.create_collection("Disk error")
    for i in range(5):
        write_image(tmp_path / "in" / f"t{i}.png", size=(16, 16), seed=i)

    def disk_error(*_args, **_kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(blobs, "sync_many", disk_error)
    results = import_paths(local_store, collection.id, [tmp_path / "in"], workers=2)

    assert {r.status for r in results} == {"rejected"}
    assert all("t" in r.error and "Input/output error" in r.error for r in results), results[0]
    assert local_store.count_textures(collection.id) == 0
    assert os.listdir(local_store.content.upload_dir) == []


def test_commit_many_lands_good_blobs_when_one_fails(tmp_path):
    store = BlobStore(tmp_path / "vault")
    staged = [store.stage(_file(tmp_path / f"f{i}", bytes([i]) * 1000)) for i in range(4)]
    already = store.stage(_file(tmp_path / "again", bytes([0]) * 1000))  # the same bytes as f0
    staged[2].temp_path.unlink()  # this one's temp file vanished: it alone fails

    placed = store.commit_many([*staged, already])

    assert isinstance(placed[2], OSError)
    for i in (0, 1, 3):
        assert placed[i] == store.path_for(staged[i].sha256) and store.verify(staged[i].sha256)
    assert placed[4] == placed[0]
    assert sorted(os.listdir(store.tmp_dir)) == []
    with pytest.raises(VaultError, match="already committed"):
        staged[0].commit()


def test_sync_many_flushes_files_and_folders_it_is_given(tmp_path):
    files = [_file(tmp_path / f"f{i}", b"x" * 10) for i in range(3)]
    durable.sync_many(files, [tmp_path, tmp_path])  # no error; a folder named twice is flushed once
    durable.sync_many([], [])
    with pytest.raises(FileNotFoundError):
        durable.sync_many([], [tmp_path / "missing"])  # a folder that is not there is an error


def _file(path, data: bytes):
    path.write_bytes(data)
    return path
