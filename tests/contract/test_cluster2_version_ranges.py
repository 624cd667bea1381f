"""A byte range of a version's file, through every face (VaultStore.open_version start/length): what a
client asks to resume a download, served from the folder, S3 (rest-postgres-s3) or the offline copy."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError


@pytest.fixture
def stored(face, tmp_path):
    """(olivia's store, the version's id, its bytes)."""
    olivia = face.user("olivia")
    collection = olivia.create_collection("Ranges")
    path = write_image(tmp_path / "wall.png", size=(300, 200), seed=7)
    texture = olivia.add_texture(collection.id, str(path), original_path=str(path))
    return olivia, texture.current.id, path.read_bytes()


def read(store, version_id: int, **wanted) -> bytes:
    with store.open_version(version_id, **wanted) as stream:
        return stream.read()


def test_a_range_is_those_bytes_and_fewer_at_the_end(stored):
    store, version_id, data = stored
    assert read(store, version_id, start=100, length=50) == data[100:150]
    assert read(store, version_id, start=100) == data[100:]
    assert read(store, version_id, start=len(data) - 10, length=1000) == data[-10:]
    assert read(store, version_id, start=0, length=1) == data[:1]
    assert read(store, version_id) == data  # no range: the whole file, as before


def test_a_negative_start_is_the_last_bytes(stored):
    store, version_id, data = stored
    assert read(store, version_id, start=-25) == data[-25:]
    assert read(store, version_id, start=-(len(data) + 100)) == data  # more than there is: all of it


def test_a_start_past_the_end_is_not_satisfiable_and_a_zero_length_is_refused(stored):
    store, version_id, data = stored
    with pytest.raises(VaultError) as past:
        read(store, version_id, start=len(data))
    assert past.value.code == "range_not_satisfiable" and str(len(data)) in past.value.message
    with pytest.raises(VaultError) as empty:
        read(store, version_id, start=3, length=0)
    assert empty.value.code == "invalid_argument"


def test_a_range_needs_read_access(face, stored):
    _store, version_id, _data = stored
    with pytest.raises(VaultError) as refused:
        read(face.user("sam"), version_id, start=0, length=10)
    assert refused.value.code in ("not_found", "permission_denied")
