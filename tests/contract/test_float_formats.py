"""OpenEXR and Radiance HDR on every face: imported with their true size and bit depth (half 16,
float 32), single channel, alpha and tiled layouts; a tone-mapped thumbnail;
crafted and damaged files rejected by name while the rest of the batch imports. Real files written
by OpenImageIO (tests/texture_files.py)."""

from __future__ import annotations

import io
import struct

import numpy as np
import texture_files as tf
from PIL import Image

from server_api.workflows.importing import import_paths


def _files(folder):
    folder.mkdir()
    colour = tf.seamless(96, 64) * 6.0  # linear light up to 6: over 1, as HDR data is
    alpha = np.concatenate([colour, tf.seamless(96, 64, seed=2)[:, :, :1]], axis=2)
    return {
        "half.exr": (tf.save_exr(folder / "half.exr", colour, "half"), ("RGB float", 16, False)),
        "float_piz.exr": (tf.save_exr(folder / "float_piz.exr", colour, "float", "piz"),
                          ("RGB float", 32, False)),
        "height.exr": (tf.save_exr(folder / "height.exr", colour[:, :, 0], "float"), ("L float", 32, False)),
        "tiled_rgba.exr": (tf.save_exr(folder / "tiled_rgba.exr", alpha, "half", tiled=True),
                           ("RGBA float", 16, True)),
        "sky.hdr": (tf.save_hdr(folder / "sky.hdr", colour), ("RGB float", 32, False)),
    }


def test_exr_and_hdr_import_with_true_metadata_and_a_tone_mapped_thumbnail(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Float")
    files = _files(tmp_path / "in")
    results = {r.path.rsplit("/", 1)[-1]: r for r in import_paths(store, collection.id, [tmp_path / "in"])}
    assert {name: r.status for name, r in results.items()} == dict.fromkeys(files, "added")
    for name, (_path, (mode, bits, alpha)) in files.items():
        version = store.get_texture(results[name].texture_id).current
        assert (version.format, version.width, version.height) == (name[-3:].upper(), 96, 64), name
        assert (version.mode, version.bit_depth, version.has_alpha) == (mode, bits, alpha), name
        with Image.open(io.BytesIO(store.version_thumbnail(version.id))) as thumb:
            assert thumb.size == (256, 171) or max(thumb.size) == 96  # never enlarged
            grey = np.asarray(thumb.convert("L"), np.float32)
        assert 40 < grey.mean() < 215 and grey.std() > 5, (name, grey.mean(), grey.std())  # tone-mapped


def test_crafted_and_damaged_float_files_are_rejected_by_name_and_the_rest_imports(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Abuse")
    drop = tmp_path / "drop"
    drop.mkdir()
    good = tf.save_exr(drop / "good.exr", tf.seamless(32, 32), "half")
    data = bytearray(good.read_bytes())
    window = data.find(b"dataWindow\x00box2i\x00") + 21
    struct.pack_into("<iiii", data, window, 0, 0, 40_000, 40_000)  # a 1.6 Gpx bomb's header
    (drop / "bomb.exr").write_bytes(bytes(data))
    (drop / "cut.exr").write_bytes(good.read_bytes()[: len(data) // 2])
    whole_hdr = tf.save_hdr(tmp_path / "whole.hdr", tf.seamless(64, 64)).read_bytes()
    (drop / "cut.hdr").write_bytes(whole_hdr[:300])
    (drop / "fake.exr").write_bytes(b"\x76\x2f\x31\x01" + b"\xff" * 200)
    results = {r.path.rsplit("/", 1)[-1]: r for r in import_paths(store, collection.id, [drop])}
    assert results["good.exr"].status == "added"
    reasons = {"bomb.exr": "damaged EXR header", "cut.exr": "damaged", "cut.hdr": "damaged",
               "fake.exr": "damaged"}  # OpenEXR itself refuses a data window past the file's chunks
    for name, reason in reasons.items():
        assert results[name].status == "rejected", results[name]
        assert name in results[name].error and reason in results[name].error, results[name]
        assert "/tmp" not in results[name].error and ".part" not in results[name].error  # no temp path
    assert store.count_textures(collection.id) == 1
