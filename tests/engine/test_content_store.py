"""The content contract: every ContentStore (a folder, S3 on a real SeaweedFS) keeps bytes by sha256 the
same way: stage -> commit verified and durable, stat/open/ranges/local files, delete, iterate,
derived artifacts, gc; and abuse (bad hashes, ranges, keys, damaged claims, missing bytes)."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from seaweedfs import TEST_CREDENTIALS, fresh_content_url

from server_api.content.opening import open_content_store
from server_api.content.store import THUMBNAIL, ContentStore
from server_api.core.errors import VaultError
from server_api.core.settings import Settings

BIG = 40 << 20  # over MULTIPART_BYTES: S3 uploads it in parts


def s3_settings() -> Settings:
    return Settings(aws_access_key_id=TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                    aws_secret_access_key=TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])


@pytest.fixture(params=["file", "s3"])
def content(request, tmp_path) -> ContentStore:
    if request.param == "file":
        store = open_content_store((tmp_path / "blobs").as_uri(), tmp_path / "data", Settings())
    else:
        store = open_content_store(fresh_content_url(), tmp_path / "data", s3_settings())
    yield store
    store.close()


def put(content: ContentStore, data: bytes) -> str:
    with content.stage(io.BytesIO(data)) as staged:
        staged.commit()
    return staged.sha256


def test_stage_then_commit_stores_the_bytes_under_their_hash(content, tmp_path):
    data = os.urandom(100_000)
    staged = content.stage(io.BytesIO(data))
    assert staged.sha256 == hashlib.sha256(data).hexdigest() and staged.size == len(data)
    assert staged.temp_path.read_bytes() == data  # the analysis reads this local copy
    assert not content.exists(staged.sha256)  # staged is not stored: no row may name it yet
    staged.commit()
    assert content.stat(staged.sha256) == len(data)
    with content.open(staged.sha256) as f:
        assert f.read() == data
    assert content.verify(staged.sha256)
    assert list(content.iter_hashes()) == [staged.sha256]
    assert not staged.temp_path.exists()


def test_a_path_source_and_progress(content, tmp_path):
    source = tmp_path / "albedo.png"
    source.write_bytes(b"p" * 3_000_000)
    seen = []
    with content.stage(source, progress=lambda done, total: seen.append((done, total))) as staged:
        staged.commit()
    assert seen[-1] == (3_000_000, 3_000_000)
    assert content.stat(staged.sha256) == 3_000_000


def test_big_bytes_stream_in_and_out_intact(content, tmp_path):
    source = tmp_path / "big.exr"
    with open(source, "wb") as f:
        for _ in range(BIG >> 20):
            f.write(os.urandom(1 << 20))
    f.close()
    with content.stage(source) as staged:
        staged.commit()
    expected = hashlib.sha256(source.read_bytes()).hexdigest()
    assert staged.sha256 == expected and content.stat(expected) == BIG
    with content.open(expected) as f:
        digest = hashlib.sha256()
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    assert digest.hexdigest() == expected and content.verify(expected)


def test_identical_bytes_are_stored_once(content):
    data = b"same bytes" * 1000
    first, second = put(content, data), put(content, data)
    assert first == second and list(content.iter_hashes()) == [first]


def test_a_discarded_or_abandoned_stage_leaves_nothing(content):
    with content.stage(io.BytesIO(b"rejected image")) as staged:
        pass  # no commit: a refused file
    assert not staged.temp_path.exists() and not content.exists(staged.sha256)
    assert list(content.iter_hashes()) == [] and os.listdir(content.upload_dir) == []


def test_over_the_limit_is_refused_and_nothing_kept(content):
    with pytest.raises(VaultError) as caught:
        content.stage(io.BytesIO(b"x" * 2000), max_bytes=1000)
    assert caught.value.code == "too_large"
    assert os.listdir(content.upload_dir) == [] and list(content.iter_hashes()) == []


class _Claiming(io.BytesIO):
    claimed_sha256 = "0" * 64  # what a damaged upload's sender said the bytes hash to


def test_bytes_that_do_not_match_their_claimed_hash_are_refused(content):
    with pytest.raises(VaultError) as caught:
        content.stage(_Claiming(b"damaged in transit"))
    assert caught.value.code == "invalid_argument" and "damaged" in caught.value.message
    assert list(content.iter_hashes()) == []


def test_ranges(content):
    data = bytes(range(256)) * 40
    sha = put(content, data)
    with content.open_range(sha, 10, 20) as f:
        assert f.read() == data[10:30]
    with content.open_range(sha, len(data) - 5, 100) as f:
        assert f.read() == data[-5:]  # fewer at the end
    for start, length in ((len(data), 1), (-1, 5), (0, -1)):
        with pytest.raises(VaultError) as caught:
            content.open_range(sha, start, length)
        assert caught.value.code == "invalid_argument"


def test_local_file_holds_the_bytes_for_the_block(content):
    data = os.urandom(5000)
    sha = put(content, data)
    with content.local_file(sha) as path:
        assert path.read_bytes() == data
    assert not list(content.upload_dir.iterdir())  # a temp copy (s3) is gone afterwards


def test_missing_bytes(content):
    sha = hashlib.sha256(b"never stored").hexdigest()
    assert content.stat(sha) is None and not content.exists(sha) and not content.verify(sha)
    for call in (content.open, lambda s: content.open_range(s, 0, 1)):
        with pytest.raises(VaultError) as caught:
            call(sha)
        assert caught.value.code == "not_found"
    with pytest.raises(VaultError) as caught, content.local_file(sha):
        pass
    assert caught.value.code == "not_found"
    content.delete(sha)  # nothing to delete: nothing happens


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "g" * 64, "A" * 64, ""])
def test_a_bad_hash_is_refused_by_every_call(content, bad):
    calls = (content.stat, content.open, content.verify, content.delete, content.delete_derived,
             lambda s: content.get_derived(s, THUMBNAIL), lambda s: content.open_range(s, 0, 1),
             lambda s: content.put_derived(s, THUMBNAIL, b"x", "JPEG"))
    for call in calls:
        with pytest.raises(VaultError) as caught:
            call(bad)
        assert caught.value.code == "invalid_argument"


def test_derived_artifacts_by_kind_and_params(content):
    sha = put(content, b"texture bytes")
    assert content.get_derived(sha, THUMBNAIL) is None and not content.has_derived(sha, THUMBNAIL)
    content.put_derived(sha, THUMBNAIL, b"\xff\xd8jpeg", "JPEG")
    content.put_derived(sha, THUMBNAIL, b"\x89PNG", "PNG", params="512")
    assert content.get_derived(sha, THUMBNAIL) == (b"\xff\xd8jpeg", "JPEG")
    assert content.get_derived(sha, THUMBNAIL, "512") == (b"\x89PNG", "PNG")
    content.put_derived(sha, THUMBNAIL, b"RIFFxxxxWEBP", "WEBP")  # replaces, whatever format before
    assert content.get_derived(sha, THUMBNAIL) == (b"RIFFxxxxWEBP", "WEBP")
    assert list(content.iter_derived_hashes()) == [sha]
    content.delete_derived(sha)
    assert not content.has_derived(sha, THUMBNAIL) and not content.has_derived(sha, THUMBNAIL, "512")
    assert content.exists(sha)  # the bytes stay


def test_derived_abuse(content):
    sha = put(content, b"texture bytes")
    for kind, params, fmt in (("thumbnail", "../x", "JPEG"), ("thumbnail", "", "GIF"),
                              ("../thumbs", "", "JPEG")):
        with pytest.raises(VaultError) as caught:
            content.put_derived(sha, kind, b"data", fmt, params)
        assert caught.value.code == "invalid_argument"
    assert list(content.iter_derived_hashes()) == []


def test_delete_removes_bytes_and_artifacts(content):
    sha = put(content, b"to delete")
    content.put_derived(sha, THUMBNAIL, b"thumb", "JPEG")
    content.delete(sha)
    assert not content.exists(sha) and not content.has_derived(sha, THUMBNAIL)
    assert list(content.iter_hashes()) == [] and list(content.iter_derived_hashes()) == []


def test_gc_keeps_what_is_referenced_and_what_is_fresh(content):
    kept, dropped = put(content, b"kept"), put(content, b"dropped")
    content.put_derived(dropped, THUMBNAIL, b"thumb", "JPEG")
    spared = content.gc([kept], blob_grace_seconds=3600)
    assert spared.removed_blobs == 0 and content.exists(dropped)  # just written: an import in flight
    report = content.gc([kept], temp_grace_seconds=3600)
    assert report.removed_blobs == 1 and report.freed_bytes == len(b"dropped")
    assert list(content.iter_hashes()) == [kept] and not content.has_derived(dropped, THUMBNAIL)


@pytest.mark.parametrize("size", [50_000, BIG], ids=["one-put", "multipart"])
def test_s3_refuses_bytes_that_changed_after_hashing(tmp_path, size):
    # The object store checks what it receives against OUR sha256 (one PUT), or we do while the parts
    # go out (multipart): bytes that no longer match their address are never stored under it.
    content = open_content_store(fresh_content_url(), tmp_path / "data", s3_settings())
    source = tmp_path / "tex.png"
    source.write_bytes(os.urandom(size))
    staged = content.stage(source)
    with open(staged.temp_path, "r+b") as f:
        f.seek(size // 2)
        f.write(b"\x00corrupted\x00")
    with pytest.raises(VaultError) as caught:
        staged.commit()
    assert caught.value.code == "internal" and staged.sha256 in caught.value.message
    assert not content.exists(staged.sha256) and list(content.iter_hashes()) == []
    assert content.gc([], temp_grace_seconds=0).removed_temp == 0  # the multipart upload was aborted
    content.close()


def test_two_prefixes_in_one_bucket_are_two_stores(tmp_path):
    first = open_content_store(fresh_content_url(), tmp_path / "a", s3_settings())
    second = open_content_store(fresh_content_url(), tmp_path / "b", s3_settings())
    sha = put(first, b"only in the first")
    assert first.exists(sha) and not second.exists(sha) and list(second.iter_hashes()) == []
    assert second.gc([]).removed_blobs == 0 and first.exists(sha)
    first.close(), second.close()


@pytest.mark.parametrize("url, words", [
    ("ftp://host/x", "file:// or s3://"), ("s3://?endpoint=http://h:1", "no bucket"),
    ("s3://b?endpont=http://h:1", "endpont"), ("s3://b?endpoint=h:1", "endpoint"),
    ("file://server/share", "file:///"),
])
def test_a_bad_content_url_is_an_error_naming_it(tmp_path, url, words):
    with pytest.raises(VaultError) as caught:
        open_content_store(url, tmp_path, Settings())
    assert caught.value.code == "invalid_argument" and words in caught.value.message


def test_a_missing_bucket_is_an_error_naming_it(tmp_path):
    url = "s3://no-such-bucket?" + fresh_content_url().split("?", 1)[1]
    with pytest.raises(VaultError) as caught:
        open_content_store(url, tmp_path, s3_settings())
    assert "no-such-bucket" in caught.value.message
