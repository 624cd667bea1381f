"""The content-addressed blob store and the thumbnail store, on a real folder."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time

import pytest

from server_api.content.blobs import CHUNK_SIZE, BlobStore
from server_api.content.thumbnails import ThumbnailStore
from server_api.core.errors import VaultError


@pytest.fixture
def blobs(tmp_path):
    return BlobStore(tmp_path / "vault")


def _temp_files(store: BlobStore) -> list:
    return list(store.tmp_dir.iterdir())


class EndlessStream(io.RawIOBase):
    """A client that keeps sending (a hostile or broken upload); counts what was read."""

    def __init__(self):
        self.sent = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"x" * len(buffer)
        self.sent += len(buffer)
        return len(buffer)


def test_stage_and_commit_a_file(blobs, tmp_path):
    data = os.urandom(3 * CHUNK_SIZE + 123)  # several chunks and a partial one
    source = tmp_path / "albedo.png"
    source.write_bytes(data)
    seen = []
    with blobs.stage(source, progress=lambda done, total: seen.append((done, total))) as staged:
        assert staged.sha256 == hashlib.sha256(data).hexdigest()
        assert staged.size == len(data)
        final = staged.commit()
    assert final == blobs.path_for(staged.sha256)
    assert final.read_bytes() == data
    assert final.relative_to(blobs.root).parts[:3] == ("blobs", staged.sha256[:2], staged.sha256[2:4])
    assert seen[-1] == (len(data), len(data))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert _temp_files(blobs) == []
    with blobs.open(staged.sha256) as f:
        assert f.read() == data


def test_stage_from_a_stream_leaves_it_open(blobs):
    stream = io.BytesIO(b"texture bytes")
    with blobs.stage(stream) as staged:
        staged.commit()
    assert not stream.closed
    assert blobs.exists(hashlib.sha256(b"texture bytes").hexdigest())


def test_identical_bytes_are_stored_once(blobs):
    for _ in range(3):
        with blobs.stage(io.BytesIO(b"same pixels")) as staged:
            staged.commit()
    assert list(blobs.iter_hashes()) == [hashlib.sha256(b"same pixels").hexdigest()]
    assert _temp_files(blobs) == []


def test_concurrent_commits_of_the_same_bytes(blobs):
    data = os.urandom(200_000)
    errors = []

    def put():
        try:
            with blobs.stage(io.BytesIO(data)) as staged:
                staged.commit()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(blobs.iter_hashes()) == [hashlib.sha256(data).hexdigest()]
    assert blobs.verify(hashlib.sha256(data).hexdigest())
    assert _temp_files(blobs) == []


def test_leaving_without_commit_discards(blobs):
    with blobs.stage(io.BytesIO(b"rejected image")) as staged:
        assert staged.temp_path.exists()
    assert not staged.temp_path.exists()
    assert list(blobs.iter_hashes()) == []


def test_an_exception_while_staged_leaves_nothing(blobs):
    with pytest.raises(VaultError), blobs.stage(io.BytesIO(b"bad bytes")):
        raise VaultError("unsupported_media", "bad.png: not an image")
    assert _temp_files(blobs) == []
    assert list(blobs.iter_hashes()) == []


def test_a_failing_source_leaves_no_temp_file(blobs):
    class Broken(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        blobs.stage(Broken())
    assert _temp_files(blobs) == []


def test_a_stream_claiming_other_bytes_is_refused_and_leaves_nothing(blobs):
    data = b"texture bytes"
    good = io.BytesIO(data)
    good.claimed_sha256 = hashlib.sha256(data).hexdigest().upper()  # case does not matter
    with blobs.stage(good) as staged:
        assert staged.sha256 == hashlib.sha256(data).hexdigest()

    damaged = io.BytesIO(data)
    damaged.claimed_sha256 = "0" * 64
    with pytest.raises(VaultError) as refused:
        blobs.stage(damaged)
    assert refused.value.code == "invalid_argument" and "damaged in transit" in refused.value.message
    assert _temp_files(blobs) == []


def test_too_large_stream_is_cut_off_early(blobs):
    stream = EndlessStream()
    with pytest.raises(VaultError) as caught:
        blobs.stage(stream, max_bytes=int(1.5 * CHUNK_SIZE))
    assert caught.value.code == "too_large"
    assert stream.sent <= 2 * CHUNK_SIZE  # stopped at the limit, not at the end of the stream
    assert _temp_files(blobs) == []


def test_too_large_file_is_refused_before_copying(blobs, tmp_path):
    source = tmp_path / "huge.tif"
    source.write_bytes(b"\0" * 5000)
    with pytest.raises(VaultError) as caught:
        blobs.stage(source, max_bytes=4999)
    assert caught.value.code == "too_large" and "huge.tif" in caught.value.message
    with blobs.stage(source, max_bytes=5000) as staged:  # exactly at the limit is fine
        staged.commit()
    assert _temp_files(blobs) == []


def test_missing_source_file_is_not_found(blobs, tmp_path):
    with pytest.raises(VaultError) as caught:
        blobs.stage(tmp_path / "gone.png")
    assert caught.value.code == "not_found" and "gone.png" in caught.value.message


@pytest.mark.parametrize("bad", ["", "abc", "A" * 64, "../" + "a" * 61, "g" * 64, "a" * 65])
def test_hash_names_are_validated(blobs, bad):
    for call in (blobs.path_for, blobs.exists, blobs.open, blobs.verify):
        with pytest.raises(VaultError) as caught:
            call(bad)
        assert caught.value.code == "invalid_argument"


def test_open_missing_blob_is_not_found(blobs):
    with pytest.raises(VaultError) as caught:
        blobs.open("0" * 64)
    assert caught.value.code == "not_found"


def test_verify_detects_corruption(blobs):
    with blobs.stage(io.BytesIO(b"original texture bytes")) as staged:
        path = staged.commit()
    assert blobs.verify(staged.sha256) is True
    path.write_bytes(b"original texture bytez")  # bit rot, same size
    assert blobs.verify(staged.sha256) is False
    path.unlink()
    assert blobs.verify(staged.sha256) is False


def test_commit_heals_a_damaged_copy_of_another_size(blobs):
    with blobs.stage(io.BytesIO(b"good bytes")) as staged:
        path = staged.commit()
    path.write_bytes(b"trunc")
    with blobs.stage(io.BytesIO(b"good bytes")) as again:
        again.commit()
    assert blobs.verify(staged.sha256)


def _put(blobs: BlobStore, data: bytes) -> str:
    with blobs.stage(io.BytesIO(data)) as staged:
        staged.commit()
    return staged.sha256


def test_gc_removes_unreferenced_blobs_thumbnails_and_stale_temp(blobs):
    thumbs = ThumbnailStore(blobs.root)
    kept, dropped = _put(blobs, b"kept texture"), _put(blobs, b"deleted texture")
    thumbs.put(kept, b"jpeg", "JPEG")
    thumbs.put(dropped, b"webp", "WEBP")
    stale = blobs.tmp_dir / "crashed-import.part"
    stale.write_bytes(b"half an upload")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = blobs.tmp_dir / "uploading-now.part"
    fresh.write_bytes(b"in flight")

    report = blobs.gc([kept], temp_grace_seconds=3600)

    assert (report.removed_blobs, report.removed_temp) == (1, 1)
    assert report.freed_bytes == len(b"deleted texture") + len(b"half an upload")
    assert list(blobs.iter_hashes()) == [kept]
    assert thumbs.has(kept) and not thumbs.has(dropped)
    assert fresh.exists() and not stale.exists()


def test_gc_grace_spares_a_blob_whose_row_is_still_being_written(blobs):
    just_written = _put(blobs, b"import in progress")
    report = blobs.gc([], blob_grace_seconds=60)
    assert report.removed_blobs == 0 and blobs.exists(just_written)
    assert blobs.gc([]).removed_blobs == 1


def test_thumbnail_store_round_trip(tmp_path):
    thumbs = ThumbnailStore(tmp_path / "vault")
    sha = hashlib.sha256(b"source").hexdigest()
    assert thumbs.get(sha) is None and not thumbs.has(sha)
    thumbs.put(sha, b"\xff\xd8jpeg", "JPEG")
    assert thumbs.get(sha) == (b"\xff\xd8jpeg", "JPEG")
    thumbs.put(sha, b"RIFFwebp", "WEBP")  # re-made with alpha: replaces, never two
    assert thumbs.get(sha) == (b"RIFFwebp", "WEBP")
    assert list(thumbs.iter_hashes()) == [sha]
    thumbs.remove(sha)
    assert thumbs.get(sha) is None
    assert [p.name for p in (tmp_path / "vault" / "thumbs").rglob("*") if p.is_file()] == []  # no temp left


def test_thumbnail_store_validates_input(tmp_path):
    thumbs = ThumbnailStore(tmp_path / "vault")
    with pytest.raises(VaultError) as caught:
        thumbs.put("../../etc/passwd", b"x", "JPEG")
    assert caught.value.code == "invalid_argument"
    with pytest.raises(VaultError) as caught:
        thumbs.put("a" * 64, b"x", "GIF")
    assert caught.value.code == "invalid_argument"
