"""Each version stores its colour space (issue 13), on every face: decided at import from the file's
own word (ICC profile, PNG gAMA, float data), `unknown` when the file says nothing; the user with
write access overrides it; bad values, readers and strangers change nothing."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import texture_files as tf
from PIL import Image, ImageCms, PngImagePlugin

from server_api.core.errors import VaultError
from server_api.workflows.importing import import_paths


def _png(path, **save):
    Image.new("RGB", (32, 16), (120, 90, 60)).save(path, **save)
    return path


def _files(folder):
    folder.mkdir()
    srgb_icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    gamma_one = PngImagePlugin.PngInfo()
    gamma_one.add(b"gAMA", struct.pack(">I", 100_000))  # gamma 1.0: linear
    _png(folder / "icc_srgb.png", icc_profile=srgb_icc)
    _png(folder / "gamma_linear.png", pnginfo=gamma_one)
    _png(folder / "says_nothing.png")
    tf.save_exr(folder / "height.exr", np.full((16, 32), 0.5, np.float32), "half")
    return {"icc_srgb.png": "srgb", "gamma_linear.png": "linear", "says_nothing.png": "unknown",
            "height.exr": "linear"}


@pytest.fixture
def imported(team, tmp_path):
    expected = _files(tmp_path / "in")
    results = import_paths(team.owner, team.collection_id, [tmp_path / "in"])
    ids = {r.path.rsplit("/", 1)[-1]: r.texture_id for r in results}
    return ids, expected


def test_import_stores_the_colour_space_the_file_names(team, imported):
    ids, expected = imported
    for name, space in expected.items():
        assert team.reader.get_texture(ids[name]).current.colour_space == space, name
        assert team.reader.list_versions(ids[name])[0].colour_space == space, name


def test_a_writer_overrides_it_and_every_reader_sees_the_override(team, imported):
    ids, _ = imported
    version = team.owner.get_texture(ids["says_nothing.png"]).current
    changed = team.writer.set_colour_space(version.id, "linear")
    assert (changed.id, changed.colour_space) == (version.id, "linear")
    assert team.reader.get_texture(ids["says_nothing.png"]).current.colour_space == "linear"
    assert team.writer.set_colour_space(version.id, "unknown").colour_space == "unknown"
    events = team.owner.list_events(team.collection_id).items
    details = [e.detail for e in events if e.action == "colour_space"]
    assert details[:1] == ["set v1 of 'says_nothing.png' to unknown"]  # newest first


def test_bad_values_readers_and_strangers_change_nothing(team, imported):
    ids, _ = imported
    version = team.owner.get_texture(ids["icc_srgb.png"]).current
    attempts = [
        (team.writer, version.id, "sRGB", "invalid_argument"),
        (team.writer, version.id, "", "invalid_argument"),
        (team.writer, version.id, "linear; drop table", "invalid_argument"),
        (team.reader, version.id, "linear", "permission_denied"),
        (team.stranger, version.id, "linear", "not_found"),
        (team.writer, 99_999, "linear", "not_found"),
    ]
    for store, version_id, value, code in attempts:
        with pytest.raises(VaultError) as err:
            store.set_colour_space(version_id, value)
        assert err.value.code == code, (value, err.value)
    assert team.owner.get_texture(ids["icc_srgb.png"]).current.colour_space == "srgb"


def test_the_same_bytes_imported_again_keep_their_colour_space(team, imported, tmp_path):
    ids, _ = imported
    again = tmp_path / "again"
    again.mkdir()
    (again / "copy.png").write_bytes((tmp_path / "in" / "gamma_linear.png").read_bytes())
    [result] = import_paths(team.owner, team.collection_id, [again])
    assert team.owner.get_texture(result.texture_id).current.colour_space == "linear"
