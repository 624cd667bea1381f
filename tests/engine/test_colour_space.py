"""Colour space rules (issue 13, TEXTURE_CONVENTIONS.md): the file's word (ICC profile, PNG sRGB
chunk, PNG gAMA), float data, then the map role; real PNGs written by Pillow, a real EXR."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import texture_files as tf
from PIL import Image, ImageCms, PngImagePlugin

from server_api.imaging.colour import ColourSpace, decide, file_evidence
from server_api.imaging.map_names import read_name


def _png(path, chunk: tuple[bytes, bytes] | None = None, icc: bytes | None = None):
    info = PngImagePlugin.PngInfo()
    if chunk:
        info.add(*chunk)
    image = Image.fromarray((tf.seamless(32, 32) * 255).astype(np.uint8))
    image.save(path, pnginfo=info, **({"icc_profile": icc} if icc else {}))
    return path


def _evidence(path) -> ColourSpace:
    with Image.open(path) as im:
        return file_evidence(im)


def test_the_file_says_it(tmp_path):
    srgb_icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert _evidence(_png(tmp_path / "icc.png", icc=srgb_icc)).space == "srgb"
    assert "ICC profile" in _evidence(tmp_path / "icc.png").why
    chunk = _evidence(_png(tmp_path / "chunk.png", (b"sRGB", b"\x00")))
    assert chunk == ColourSpace("srgb", "PNG sRGB chunk")
    assert _evidence(_png(tmp_path / "g22.png", (b"gAMA", struct.pack(">I", 45455)))).space == "srgb"
    assert _evidence(_png(tmp_path / "g10.png", (b"gAMA", struct.pack(">I", 100000)))).space == "linear"
    assert _evidence(_png(tmp_path / "g18.png", (b"gAMA", struct.pack(">I", 55555)))).space == "unknown"
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    assert _evidence(_png(tmp_path / "lab.png", icc=lab)).space == "unknown"
    assert _evidence(_png(tmp_path / "plain.png")).space == "unknown"


@pytest.mark.parametrize(("name", "space"), [
    ("rock_albedo.png", "srgb"), ("rock_emissive.png", "srgb"), ("rock_nor_gl.png", "linear"),
    ("rock_roughness.png", "linear"), ("rock_ao.png", "linear"), ("rock_height.png", "linear"),
    ("T_Rock_ORM.png", "linear"), ("rock.png", "unknown"),
])
def test_a_silent_file_is_judged_by_its_role(tmp_path, name, space):
    decided = decide(_evidence(_png(tmp_path / name)), is_float=False, role=read_name(name).role)
    assert decided.space == space, decided


def test_the_files_word_beats_the_role_and_float_is_linear(tmp_path):
    normal_srgb = _evidence(_png(tmp_path / "rock_normal.png", (b"sRGB", b"\x00")))
    assert decide(normal_srgb, is_float=False, role="normal").space == "srgb"  # QA will warn on this
    exr = tf.save_exr(tmp_path / "rock_albedo.exr", tf.seamless(8, 8), "half")
    assert decide(ColourSpace("unknown", "-"), is_float=True, role=read_name(exr.name).role) == ColourSpace(
        "linear", "float data is linear light")
