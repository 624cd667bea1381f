"""content/durable.py: a write either replaces the file whole or leaves it as it was, with no litter."""

from __future__ import annotations

import os
import stat
import time

import pytest

from server_api.content.blobs import BlobStore
from server_api.content.durable import TEMP_SUFFIX, atomic_writer
from server_api.content.thumbnails import ThumbnailStore


def test_atomic_writer_replaces_the_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "wall.png"
    target.write_bytes(b"old")
    with atomic_writer(target) as out:
        out.write(b"new bytes")
    assert target.read_bytes() == b"new bytes"
    assert os.listdir(tmp_path) == ["wall.png"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temp(tmp_path):
    target = tmp_path / "wall.png"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk gone"):
        with atomic_writer(target) as out:
            out.write(b"half of the new")
            raise RuntimeError("disk gone")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["wall.png"]


def test_permissions_hold_from_the_first_byte_and_keep_mode_copies_the_old_ones(tmp_path):
    secret = tmp_path / "credentials.json"
    with atomic_writer(secret, permissions=0o600) as out:
        [temp] = [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)]
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600  # before a single byte is written
        out.write(b"{}")
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600

    shared = tmp_path / "shared.png"
    shared.write_bytes(b"old")
    shared.chmod(0o640)
    with atomic_writer(shared, keep_mode=True) as out:
        out.write(b"new")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640


def test_gc_sweeps_thumbnails_a_crash_left_half_written(tmp_path):
    blobs = BlobStore(tmp_path / "vault")
    thumbs = ThumbnailStore(blobs.root)
    shard = thumbs.thumb_dir / "ab"
    shard.mkdir()
    stale = shard / f".{'ab' * 32}.jpg.0123456789ab{TEMP_SUFFIX}"
    fresh = shard / f".{'ab' * 32}.jpg.ba9876543210{TEMP_SUFFIX}"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    assert list(thumbs.iter_hashes()) == []  # a temp is never taken for a thumbnail
    report = blobs.gc([], temp_grace_seconds=3600)
    assert report.removed_temp == 1
    assert fresh.exists() and not stale.exists()
