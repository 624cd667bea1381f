"""A stream that says its sha256 before its first byte (``claimed_sha256``, as the server's upload pipe
does when the form sends it first) is staged the same way on every ContentStore: stored under that
hash once committed, refused ("damaged in transit") when the bytes hash to something else, and
nothing kept when discarded. On S3 its parts already went to the object store while it was read,
as an unfinished upload that commit completes and discard aborts."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from seaweedfs import TEST_CREDENTIALS, fresh_content_url

from server_api.content.opening import open_content_store
from server_api.content.s3_parts import MULTIPART_BYTES
from server_api.core.errors import VaultError
from server_api.core.settings import Settings

SIZES = {"small": 300_000, "parts": 2 * MULTIPART_BYTES + 12345}


class Announced(io.BytesIO):
    def __init__(self, data: bytes, sha256: str):
        super().__init__(data)
        self.claimed_sha256 = sha256


@pytest.fixture(params=["file", "s3"])
def content(request, tmp_path):
    if request.param == "file":
        store = open_content_store((tmp_path / "blobs").as_uri(), tmp_path / "data", Settings())
    else:
        store = open_content_store(fresh_content_url(), tmp_path / "data", Settings(
            aws_access_key_id=TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]))
    yield store
    store.close()


def unfinished_uploads(content) -> list:
    client = getattr(content, "_client", None)
    if client is None:
        return []  # a folder has no unfinished uploads
    return client.list_multipart_uploads(Bucket=content.bucket, Prefix=content._prefix).get("Uploads", [])


@pytest.mark.parametrize("size", list(SIZES))
def test_announced_bytes_are_stored_under_their_hash_on_commit(content, size):
    data = os.urandom(SIZES[size])
    sha = hashlib.sha256(data).hexdigest()
    with content.stage(Announced(data, sha.upper())) as staged:  # case does not matter
        assert staged.sha256 == sha and staged.temp_path.read_bytes() == data
        assert not content.exists(sha)  # not before commit: no row may name it yet
        staged.commit()
    assert content.stat(sha) == len(data) and content.verify(sha)
    assert unfinished_uploads(content) == []


@pytest.mark.parametrize("size", list(SIZES))
def test_bytes_that_are_not_what_was_announced_are_refused_and_nothing_is_kept(content, size):
    data = os.urandom(SIZES[size])
    announced = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(VaultError) as refused:
        content.stage(Announced(data, announced))
    assert refused.value.code == "invalid_argument" and "damaged in transit" in refused.value.message
    assert list(content.iter_hashes()) == [] and unfinished_uploads(content) == []
    assert list(content.upload_dir.iterdir()) == []


def test_a_discarded_stage_leaves_nothing(content):
    data = os.urandom(SIZES["parts"])
    sha = hashlib.sha256(data).hexdigest()
    with content.stage(Announced(data, sha)):
        pass  # the analysis refused the image: never committed
    assert not content.exists(sha) and unfinished_uploads(content) == []
    assert list(content.upload_dir.iterdir()) == []


def test_a_stream_that_breaks_mid_way_leaves_nothing(content):
    class Breaks(Announced):
        def readinto(self, buffer):
            if self.tell() > MULTIPART_BYTES + 1:
                raise VaultError("invalid_argument", "the client disconnected mid-upload")
            return super().readinto(buffer)

    data = os.urandom(SIZES["parts"])
    with pytest.raises(VaultError, match="disconnected"):
        content.stage(Breaks(data, hashlib.sha256(data).hexdigest()))
    assert list(content.iter_hashes()) == [] and unfinished_uploads(content) == []
    assert list(content.upload_dir.iterdir()) == []
