"""EXR/HDR import limits: the pixel limit and the decode budget hold before any pixel is decoded,
a big float EXR's thumbnail is made from strips (never the whole image in floats), and NaN/inf
pixels still give a usable thumbnail. Real files written by OpenImageIO."""

from __future__ import annotations

import io
import tracemalloc

import numpy as np
import pytest
import texture_files as tf
from PIL import Image

from server_api import imaging
from server_api.core.errors import VaultError
from server_api.imaging import limits as pixel_limits
from server_api.imaging.budget import DECODE_BUDGET


@pytest.fixture
def limits():
    pixels, budget = pixel_limits.MAX_IMAGE_PIXELS, DECODE_BUDGET.limit
    yield
    pixel_limits.MAX_IMAGE_PIXELS = pixels
    DECODE_BUDGET.configure(budget)


def test_the_pixel_limit_and_the_decode_budget_refuse_before_decoding(tmp_path, limits):
    path = tf.save_exr(tmp_path / "wide.exr", tf.seamless(512, 256), "float")
    pixel_limits.MAX_IMAGE_PIXELS = 512 * 256 - 1
    with pytest.raises(VaultError, match=r"wide.exr: 512x256 pixels is over the limit") as err:
        imaging.probe(path)
    assert err.value.code == "too_large"
    pixel_limits.MAX_IMAGE_PIXELS = 512 * 256
    assert imaging.probe(path).width == 512
    DECODE_BUDGET.configure(1 << 20)
    with pytest.raises(VaultError, match=r"wide.exr: .*over the decode budget of 1 MiB") as err:
        imaging.analyze(path)
    assert err.value.code == "too_large"
    assert DECODE_BUDGET.in_use == 0


def test_a_big_float_exr_thumbnail_never_holds_the_whole_image(tmp_path):
    width, height = 8192, 2048
    tile = tf.seamless(512, 512) * 4
    path = tf.save_exr(tmp_path / "big.exr", np.tile(tile, (height // 512, width // 512, 1)), "half")
    whole_floats = width * height * 3 * 4  # 192 MiB as float32
    tracemalloc.start()
    try:
        info, thumb = imaging.analyze(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (info.width, info.height, info.bit_depth) == (width, height, 16)
    assert peak < whole_floats / 3, f"peak {peak >> 20} MiB"
    with Image.open(io.BytesIO(thumb.data)) as im:
        assert im.size == (256, 64)


def test_nan_and_infinite_pixels_still_give_a_usable_thumbnail(tmp_path):
    values = tf.seamless(64, 64) * 2
    values[10:20, 10:20] = np.nan
    values[30:40, 30:40] = np.inf
    _, thumb = imaging.analyze(tf.save_exr(tmp_path / "odd.exr", values, "float"))
    with Image.open(io.BytesIO(thumb.data)) as im:
        grey = np.asarray(im.convert("L"), np.float32)
    assert 30 < grey.mean() < 225 and grey.std() > 5
