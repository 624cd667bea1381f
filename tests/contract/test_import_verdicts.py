"""Every input gets exactly one verdict, and THE import rule, on every face (sql, rest-sqlite,
rest-postgres): odd files on disk, undecodable bytes, the same bytes at another path or in another
collection. Real files, FIFOs, sockets and symlinks in tmp_path."""

from __future__ import annotations

import io
import os
import shutil
import socket
import struct

import pytest
from corpus import write_image
from PIL import Image

from server_api.workflows.importing import expand_paths, import_paths


def _dds_with_unknown_dxgi(path):
    """A DDS whose DX10 header names a DXGI format Pillow does not implement (NotImplementedError
    inside Image.open: it stopped a whole `vault import` before)."""
    out = io.BytesIO()
    Image.new("RGBA", (8, 8)).save(out, "DDS")
    data = bytearray(out.getvalue())
    struct.pack_into("<I", data, 80, 0x4)  # pixel format flags: FOURCC
    data[84:88] = b"DX10"
    path.write_bytes(bytes(data[:128]) + struct.pack("<IIIII", 999, 3, 0, 1, 0) + bytes(data[128:]))
    return path


def test_odd_files_each_get_their_own_reason_and_the_rest_imports(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Odd")
    drop = tmp_path / "drop"
    write_image(drop / "a_good.png", seed=1)
    write_image(drop / "z_good.jpg", "jpeg", seed=2)
    (drop / "loop_a.png").symlink_to(drop / "loop_b.png")
    (drop / "loop_b.png").symlink_to(drop / "loop_a.png")
    os.mkfifo(drop / "pipe.png")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(drop / "sock.png"))
    (drop / "device.png").symlink_to("/dev/zero")
    (drop / "dangling.png").symlink_to(drop / "gone.png")
    _dds_with_unknown_dxgi(drop / "odd.dds")
    secret = write_image(drop / "secret.png", seed=3)
    secret.chmod(0)
    vanished = write_image(drop / "vanished.png", seed=4)
    files = expand_paths([drop])
    vanished.unlink()  # listed, then gone before its turn
    try:
        results = {os.path.basename(r.path): r for r in import_paths(store, collection.id, files)}
    finally:
        sock.close()
        secret.chmod(0o644)
    assert sorted(results) == sorted(os.path.basename(f) for f in files)  # one verdict each
    assert results["a_good.png"].status == results["z_good.jpg"].status == "added"
    # Links are remembered by what they resolve to (publish writes there): /dev/zero, gone.png.
    reasons = {
        "loop_a.png": "symlink loop", "loop_b.png": "symlink loop", "pipe.png": "named pipe (FIFO)",
        "sock.png": "socket", "zero": "device", "gone.png": "no such file",
        "odd.dds": "cannot be read", "vanished.png": "no such file",
    }
    if os.geteuid() != 0:  # root reads any file
        reasons["secret.png"] = "permission denied"
    for name, reason in reasons.items():
        assert results[name].status == "rejected", results[name]
        assert name in results[name].error and reason in results[name].error, results[name]
    assert store.count_textures(collection.id) == len(results) - len(reasons)


def test_the_same_bytes_at_another_path_are_unchanged_and_in_another_collection_are_named(face, tmp_path):
    store = face.user("olivia")
    first = store.create_collection("First")
    second = store.create_collection("Second")
    original = write_image(tmp_path / "a" / "rock.png", seed=5)
    [added] = import_paths(store, first.id, [original])
    assert (added.status, added.note) == ("added", None)

    copy = tmp_path / "b" / "rock_copy.png"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    [again] = import_paths(store, first.id, [copy])
    assert (again.status, again.texture_id, again.version) == ("unchanged", added.texture_id, 1)
    assert again.note == "already in the vault as rock.png v1"
    assert store.count_textures(first.id) == 1

    [elsewhere] = import_paths(store, second.id, [copy])
    assert elsewhere.status == "added" and elsewhere.texture_id != added.texture_id
    assert elsewhere.note == "the same bytes are also rock.png in 'First'"
    # The path is now a texture's original path: the rule looks there first.
    write_image(copy, seed=6)
    [changed] = import_paths(store, second.id, [copy])
    assert (changed.status, changed.texture_id, changed.version) == ("new_version", elsewhere.texture_id, 2)


def test_collections_the_caller_cannot_read_are_never_named(face, tmp_path):
    owner = face.user("olivia")
    stranger = face.user("sam")
    private = owner.create_collection("Private")
    path = write_image(tmp_path / "a" / "wall.png", seed=7)
    import_paths(owner, private.id, [path])
    mine = stranger.create_collection("Mine")
    copy = tmp_path / "b" / "wall.png"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    [result] = import_paths(stranger, mine.id, [copy])
    assert (result.status, result.note) == ("added", None)


def test_import_source_is_one_decided_call_and_a_retry_makes_nothing_twice(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Direct")
    path = write_image(tmp_path / "tile.png", seed=8)
    from server_api.workflows.importing import file_sha256

    sha = file_sha256(path)
    kwargs = dict(original_path=str(path), sha256=sha, upload_key="retry-me")
    first = store.import_source(collection.id, str(path), **kwargs)
    retried = store.import_source(collection.id, str(path), **kwargs)
    assert (first.status, retried.status) == ("added", "added")
    assert first.texture_id == retried.texture_id and store.count_textures(collection.id) == 1
    # "unchanged" is decided from the stated hash: the bytes are not even read.
    unread = store.import_source(collection.id, io.BytesIO(b"never read"), original_path=str(path),
                                 sha256=sha)
    assert (unread.status, unread.texture_id, unread.version) == ("unchanged", first.texture_id, 1)


@pytest.mark.parametrize("name", ["empty.png", "text.png"])
def test_not_an_image_is_rejected_by_name(face, tmp_path, name):
    store = face.user("olivia")
    collection = store.create_collection("Not images")
    path = tmp_path / name
    path.write_bytes(b"" if name == "empty.png" else b"hello, not pixels")
    [result] = import_paths(store, collection.id, [path])
    assert result.status == "rejected" and name in result.error
