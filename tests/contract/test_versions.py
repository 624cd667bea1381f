"""Version history through every face: N+1, timeline, make current, bytes, thumbnails, publish records."""

from __future__ import annotations

import io

import pytest
from corpus import write_corrupt, write_image
from PIL import Image

from server_api.core.errors import VaultError


@pytest.fixture
def olivia(face):
    return face.user("olivia")


@pytest.fixture
def texture(olivia, tmp_path):
    collection = olivia.create_collection("History")
    path = write_image(tmp_path / "wall.png", seed=0)
    return olivia.add_texture(collection.id, str(path), original_path=str(path))


def test_versions_count_up_and_the_newest_becomes_current(olivia, texture, tmp_path):
    for seed in (1, 2):
        path = write_image(tmp_path / f"v{seed}.png", seed=seed)
        added = olivia.add_version(texture.id, str(path), note=f"pass {seed}")
        assert added.number == seed + 1 and added.is_current
    timeline = olivia.list_versions(texture.id)
    assert [v.number for v in timeline] == [3, 2, 1]
    assert [v.is_current for v in timeline] == [True, False, False]
    assert timeline[0].note == "pass 2"
    now = olivia.get_texture(texture.id)
    assert (now.version_count, now.current.number) == (3, 3)
    assert now.updated_at >= texture.updated_at


def test_a_version_can_be_added_without_becoming_current(olivia, texture, tmp_path):
    path = write_image(tmp_path / "side.png", seed=5)
    added = olivia.add_version(texture.id, str(path), make_current=False)
    assert added.number == 2 and not added.is_current
    assert olivia.get_texture(texture.id).current.id == texture.current.id


def test_any_version_can_be_made_current_again(olivia, texture, tmp_path):
    path = write_image(tmp_path / "v2.png", seed=9)
    olivia.add_version(texture.id, str(path))
    back = olivia.set_current_version(texture.id, texture.current.id)
    assert back.current.number == 1
    assert [v.is_current for v in olivia.list_versions(texture.id)] == [False, True]


def test_a_version_of_another_texture_cannot_be_made_current(olivia, texture, tmp_path):
    other_path = write_image(tmp_path / "other.png", seed=3)
    other = olivia.add_texture(texture.collection_id, str(other_path), original_path=str(other_path))
    with pytest.raises(VaultError) as err:
        olivia.set_current_version(texture.id, other.current.id)
    assert err.value.code == "not_found"
    assert olivia.get_texture(texture.id).current.id == texture.current.id


def test_every_version_streams_its_own_bytes(olivia, texture, tmp_path):
    path = write_image(tmp_path / "v2.png", seed=4)
    second = olivia.add_version(texture.id, str(path))
    with olivia.open_version(second.id) as stream:
        assert stream.read() == path.read_bytes()
    with olivia.open_version(texture.current.id) as stream:
        assert stream.read() == (tmp_path / "wall.png").read_bytes()


def test_thumbnails_decode_and_fit_256(olivia, tmp_path):
    collection = olivia.create_collection("Thumbs")
    for kind in ("png_rgba", "tiff_16_gray", "png_palette", "png_16", "jpeg"):
        path = write_image(tmp_path / f"big.{kind}", kind, size=(600, 300))
        texture = olivia.add_texture(collection.id, str(path), original_path=str(path))
        thumb = Image.open(io.BytesIO(olivia.version_thumbnail(texture.current.id)))
        thumb.load()
        assert max(thumb.size) <= 256 and thumb.size[0] > thumb.size[1], kind


def test_a_rejected_version_leaves_the_history_alone(olivia, texture, tmp_path):
    broken = write_corrupt(tmp_path / "broken.png")
    with pytest.raises(VaultError) as err:
        olivia.add_version(texture.id, str(broken))
    assert err.value.code == "unsupported_media"
    assert [v.number for v in olivia.list_versions(texture.id)] == [1]


def test_repeated_upload_key_returns_the_first_version(olivia, texture, tmp_path):
    path = write_image(tmp_path / "v2.png", seed=8)
    first = olivia.add_version(texture.id, io.BytesIO(path.read_bytes()), upload_key="retry-7")
    again = olivia.add_version(texture.id, io.BytesIO(path.read_bytes()), upload_key="retry-7")
    assert again.id == first.id
    assert len(olivia.list_versions(texture.id)) == 2


def test_record_publish_marks_the_version(olivia, texture):
    published = olivia.record_publish(texture.id, texture.current.id, "/art/wall.png")
    assert published.published_at is not None
    assert olivia.get_texture(texture.id).published_version_id == texture.current.id


def test_unknown_version_is_not_found(olivia, texture):
    for call in (lambda: olivia.open_version(99999), lambda: olivia.version_thumbnail(99999),
                 lambda: olivia.set_current_version(texture.id, 99999)):
        with pytest.raises(VaultError) as err:
            call()
        assert err.value.code == "not_found"
