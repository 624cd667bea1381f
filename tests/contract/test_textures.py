"""Textures through every face: add from a path or a stream, metadata, find, delete, bad files."""

from __future__ import annotations

import hashlib
import io

import pytest
from corpus import write_corrupt, write_image, write_truncated, write_unsupported

from server_api.core.errors import VaultError


@pytest.fixture
def olivia(face):
    return face.user("olivia")


@pytest.fixture
def collection(olivia):
    return olivia.create_collection("Textures")


def test_add_texture_from_a_path_keeps_its_metadata_and_path(olivia, collection, tmp_path):
    path = write_image(tmp_path / "bark.png", "png_rgba", size=(80, 40))
    texture = olivia.add_texture(collection.id, str(path), original_path=str(path), note="first")
    assert texture.name == "bark.png" and texture.original_path == str(path)
    assert texture.version_count == 1 and texture.published_version_id is None
    v = texture.current
    assert (v.number, v.format, v.width, v.height, v.mode, v.bit_depth, v.has_alpha) == (
        1, "PNG", 80, 40, "RGBA", 8, True)
    assert v.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (v.byte_size, v.note, v.created_by, v.is_current) == (path.stat().st_size, "first", "olivia", True)
    assert olivia.get_texture(texture.id) == texture


def test_add_texture_from_a_stream_with_a_name(olivia, collection, tmp_path):
    data = write_image(tmp_path / "src.jpg", "jpeg", size=(120, 90)).read_bytes()
    texture = olivia.add_texture(collection.id, io.BytesIO(data), original_path="/art/rock.jpg",
                                 name="Rock albedo")
    assert (texture.name, texture.current.format, texture.current.width) == ("Rock albedo", "JPEG", 120)
    with olivia.open_version(texture.current.id) as stream:
        assert stream.read() == data


@pytest.mark.parametrize(("kind", "mode_bits"), [("png_16", 16), ("tiff_48_rgb", 16), ("tiff_16_gray", 16),
                                                 ("tiff_8", 8), ("png_palette", 8)])
def test_true_bit_depth_is_recorded(olivia, collection, tmp_path, kind, mode_bits):
    path = write_image(tmp_path / f"deep.{kind}", kind, size=(32, 16))
    texture = olivia.add_texture(collection.id, str(path), original_path=str(path))
    assert texture.current.bit_depth == mode_bits
    assert (texture.current.width, texture.current.height) == (32, 16)


def test_find_texture_by_original_path_or_bytes(olivia, collection, tmp_path):
    a = write_image(tmp_path / "a.png", seed=1)
    b = write_image(tmp_path / "b.png", seed=2)
    ta = olivia.add_texture(collection.id, str(a), original_path=str(a))
    olivia.add_texture(collection.id, str(b), original_path=str(b))
    assert olivia.find_texture(collection.id, original_path=str(a)).id == ta.id
    assert olivia.find_texture(collection.id, sha256=ta.current.sha256).id == ta.id
    assert olivia.find_texture(collection.id, original_path=str(tmp_path / "nope.png")) is None
    with pytest.raises(VaultError) as err:
        olivia.find_texture(collection.id)
    assert err.value.code == "invalid_argument"


def test_one_texture_per_original_path(olivia, collection, tmp_path):
    path = write_image(tmp_path / "a.png")
    olivia.add_texture(collection.id, str(path), original_path=str(path))
    with pytest.raises(VaultError) as err:
        olivia.add_texture(collection.id, str(path), original_path=str(path))
    assert err.value.code == "conflict"
    assert olivia.count_textures(collection.id) == 1


def test_repeated_upload_key_returns_the_first_texture(olivia, collection, tmp_path):
    path = write_image(tmp_path / "a.png")
    first = olivia.add_texture(collection.id, str(path), original_path="/x/a.png", upload_key="k-1")
    again = olivia.add_texture(collection.id, str(path), original_path="/x/a.png", upload_key="k-1")
    assert again.id == first.id and olivia.count_textures(collection.id) == 1


@pytest.mark.parametrize("writer", [write_corrupt, write_truncated, write_unsupported])
def test_bad_files_are_unsupported_media_naming_the_file(olivia, collection, tmp_path, writer):
    path = writer(tmp_path / "broken_thing.png")
    with pytest.raises(VaultError) as err:
        olivia.add_texture(collection.id, str(path), original_path=str(path))
    assert err.value.code == "unsupported_media"
    assert "broken_thing.png" in err.value.message
    assert olivia.count_textures(collection.id) == 0


def test_decompression_bomb_is_too_large(olivia, collection, tmp_path, write_bomb):
    path = write_bomb(tmp_path / "bomb.png")
    with pytest.raises(VaultError) as err:
        olivia.add_texture(collection.id, str(path), original_path=str(path))
    assert err.value.code == "too_large" and "bomb.png" in err.value.message
    assert olivia.count_textures(collection.id) == 0


def test_delete_texture(olivia, collection, tmp_path):
    path = write_image(tmp_path / "a.png")
    texture = olivia.add_texture(collection.id, str(path), original_path=str(path))
    olivia.delete_texture(texture.id)
    assert olivia.count_textures(collection.id) == 0
    with pytest.raises(VaultError) as err:
        olivia.get_texture(texture.id)
    assert err.value.code == "not_found"
    # The path is free again: the same file can come back as a new texture.
    again = olivia.add_texture(collection.id, str(path), original_path=str(path))
    assert again.version_count == 1 and olivia.count_textures(collection.id) == 1


def test_missing_source_file_is_a_clear_error(olivia, collection, tmp_path):
    missing = tmp_path / "gone.png"
    with pytest.raises(VaultError) as err:
        olivia.add_texture(collection.id, str(missing), original_path=str(missing))
    assert "gone.png" in err.value.message
