"""Pure pixel measures: seam score, normal-map detection, histogram, tone mapping, pyramid, decoding
of 16-bit, EXR and HDR files as stored. Real files written by Pillow and OpenImageIO."""

from __future__ import annotations

import numpy as np
import pytest
import texture_files as tf

from server_api.core.errors import VaultError
from server_api.imaging.histogram import BINS, histogram
from server_api.imaging.normals import check_normal_map, convention_from_name, name_tokens
from server_api.imaging.pixels import decode_pixels, float_format
from server_api.imaging.pyramid import SMALLEST_SIDE, Pyramid, shrink
from server_api.imaging.seams import VISIBLE_SEAM, seam_score
from server_api.imaging.tonemap import DisplaySettings, display_bgra, linear_to_srgb, tonemap_hdr


# ---- seams ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_seamless_texture_scores_about_one(seed):
    score = seam_score((tf.seamless(300, 200, seed) * 255).astype(np.uint8))
    assert 0.7 < score.x < 1.4 and 0.7 < score.y < 1.4


def test_hard_edge_scores_a_visible_seam_on_both_axes():
    score = seam_score((tf.hard_edge(256, 256) * 65535).astype(np.uint16))
    assert score.x >= VISIBLE_SEAM and score.y >= VISIBLE_SEAM


def test_seam_on_one_axis_only():
    values = tf.seamless(256, 256, 4)
    values[:, :, :] += np.linspace(0, 0.8, 256, dtype=np.float32)[:, None, None]  # top→bottom ramp
    score = seam_score(values)
    assert score.x < 1.4 and score.y >= VISIBLE_SEAM


def test_random_noise_is_seamless_and_flat_picture_scores_one():
    noise = np.random.default_rng(0).integers(0, 256, (128, 128, 3), dtype=np.uint8)
    assert 0.8 < seam_score(noise).x < 1.2
    assert seam_score(np.full((64, 64), 7, np.uint8)).worst() == 1.0


def test_seam_score_refuses_a_picture_too_small_to_judge():
    with pytest.raises(ValueError, match="3×3"):
        seam_score(np.zeros((2, 10, 3), np.uint8))


# ---- normal maps ---------------------------------------------------------------------------------
@pytest.mark.parametrize("bits", [8, 16])
def test_generated_normal_map_is_detected(bits):
    n = tf.normal_map(256, 256)
    values = (n * (255 if bits == 8 else 65535) + 0.5).astype(np.uint8 if bits == 8 else np.uint16)
    check = check_normal_map(values)
    assert check.is_normal_map, check.reason
    assert check.unit_share > 0.95 and abs(check.mean[0] - 0.5) < 0.1


@pytest.mark.parametrize("picture", ["colour", "flat_blue", "grey"])
def test_other_pictures_are_not_normal_maps(picture):
    values = {"colour": tf.seamless(128, 128),
              "flat_blue": np.tile(np.array([0.1, 0.1, 0.9], np.float32), (64, 64, 1)),
              "grey": np.full((64, 64, 3), 0.5, np.float32)}[picture]
    check = check_normal_map((values * 255).astype(np.uint8))
    assert not check.is_normal_map and check.reason


def test_single_channel_is_not_a_normal_map():
    assert not check_normal_map(np.zeros((8, 8), np.uint8)).is_normal_map


@pytest.mark.parametrize(("name", "convention"), [
    ("Rock_NormalDX_4k.png", "directx"), ("rock_nor_dx_2k.exr", "directx"),
    ("bark-normal-directx.tif", "directx"),
    ("rock_nor_gl_2k.png", "opengl"), ("Wall_NormalGL.png", "opengl"), ("normal.png", None),
    ("gloss_map.png", None), ("dxt_notes.png", None),
])
def test_convention_comes_from_name_tokens(name, convention):
    assert convention_from_name(name) == convention


def test_name_tokens_split_camel_case_and_separators():
    assert name_tokens("RockWall_NormalGL-4k.v2.png") == ["rock", "wall", "normal", "gl", "k", "v"]


# ---- histogram and display ----------------------------------------------------------------------
def test_histogram_counts_every_sampled_pixel_per_channel():
    values = np.zeros((100, 100, 2), np.uint8)
    values[:, :50, 0] = 255
    h = histogram(values, "LA")
    assert h.channels == "LA" and len(h.counts) == 2 and len(h.counts[0]) == BINS
    assert h.counts[0][0] == 5000 and h.counts[0][-1] == 5000 and h.counts[1][0] == 10_000
    assert (h.low, h.high) == (0.0, 256.0)


def test_histogram_of_floats_covers_hdr_values_and_refuses_wrong_names():
    h = histogram(np.array([[[0.0], [7.5]]], np.float32), "L")
    assert h.high == 7.5 and sum(h.counts[0]) == 2
    with pytest.raises(ValueError, match="channels"):
        histogram(np.zeros((2, 2, 3), np.uint8), "RGBA")


def test_display_channels_alpha_and_flip_green():
    rgba = np.array([[[200, 100, 50, 128]]], np.uint8)
    bgra = display_bgra(rgba, "RGBA", DisplaySettings())
    assert bgra[0, 0, 3] == 128 and abs(int(bgra[0, 0, 2]) - 100) <= 1  # premultiplied red
    assert display_bgra(rgba, "RGBA", DisplaySettings(channel="G"))[0, 0, :3].tolist() == [100, 100, 100]
    assert display_bgra(rgba, "RGBA", DisplaySettings(channel="A"))[0, 0].tolist() == [128, 128, 128, 255]
    flipped = display_bgra(rgba[:, :, :3], "RGB", DisplaySettings(flip_green=True))
    assert flipped[0, 0, 1] == 155
    luminance = display_bgra(rgba[:, :, :3], "RGB", DisplaySettings(channel="L"))[0, 0, 0]
    assert abs(int(luminance) - round(0.2126 * 200 + 0.7152 * 100 + 0.0722 * 50)) <= 1
    with pytest.raises(ValueError, match="channel view"):
        DisplaySettings(channel="X")


def test_display_16_bit_and_exposure_on_floats():
    assert display_bgra(np.array([[[65535]]], np.uint16), "L", DisplaySettings())[0, 0].tolist() == [255] * 4
    hdr = np.array([[[0.25, 0.25, 0.25]]], np.float32)
    plain = display_bgra(hdr, "RGB", DisplaySettings(encode_srgb=True))[0, 0, 0]
    brighter = display_bgra(hdr, "RGB", DisplaySettings(encode_srgb=True, exposure=2))[0, 0, 0]
    assert plain == 137 and brighter == 255  # sRGB(0.25) = 0.537; ×4 clips at white


def test_srgb_curve_matches_the_formula():
    x = np.linspace(0, 1, 1001, dtype=np.float32)
    exact = np.where(x <= 0.0031308, x * 12.92, 1.055 * x ** (1 / 2.4) - 0.055)
    assert np.max(np.abs(linear_to_srgb(x) - exact)) < 1 / 512


def test_tonemap_brings_any_exposure_to_a_visible_picture():
    for gain in (0.001, 1.0, 5000.0):
        out = tonemap_hdr(tf.seamless(64, 64) * gain + 0.01 * gain, "RGB")
        assert out.dtype == np.uint8 and 40 < out.mean() < 220
    assert tonemap_hdr(np.array([[[np.nan, np.inf, -1.0, 0.5]]], np.float32), "RGBA").shape == (1, 1, 4)


# ---- pyramid -------------------------------------------------------------------------------------
def test_pyramid_levels_average_and_stay_small():
    full = np.random.default_rng(0).integers(0, 65535, (2048, 1500, 3), dtype=np.uint16)
    p = Pyramid(full)
    assert max(p.size(p.top)) <= SMALLEST_SIDE and p.extra_bytes < full.nbytes / 10
    level1 = p.block(1, 0, 0, 4, 4)
    expected = full[:8, :8].astype(np.float64).reshape(4, 2, 4, 2, 3).mean(axis=(1, 3))
    assert np.abs(level1.astype(np.float64) - expected).max() <= 1
    assert p.block(0, 10, 20, 30, 25).shape == (5, 20, 3)
    assert p.block(99, 0, 0, 1, 1).shape[:2] == (1, 1)  # asking past the top gives the top


def test_shrink_keeps_dtype_and_floats():
    half = np.ones((9, 9, 1), np.float16)
    assert shrink(half, 4).dtype == np.float16 and shrink(half, 4).shape == (2, 2, 1)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float16, np.float32])
@pytest.mark.parametrize("k", [2, 4, 8, 3])
def test_shrink_is_the_block_mean_whatever_the_size_type_and_strip(dtype, k):
    """Power-of-two shrinks halve strip by strip in a wider type: the same means as the plain
    definition, odd edges dropped, across strip boundaries (2100 rows > the 1024-row strip)."""
    full = 65535 if dtype == np.uint16 else 255 if dtype == np.uint8 else 4.0
    values = (np.random.default_rng(k).random((2101, 37, 2)) * full).astype(dtype)
    h, w = 2101 // k, 37 // k
    expected = values[:h * k, :w * k].astype(np.float64).reshape(h, k, w, k, 2).mean(axis=(1, 3))
    out = shrink(values, k)
    assert out.dtype == dtype and out.shape == (h, w, 2)
    tolerance = 1.0 if np.issubdtype(dtype, np.integer) else 4.0 * 2e-3  # rounding per halving / half floats
    assert np.abs(out.astype(np.float64) - expected).max() <= tolerance


# ---- decoding as stored --------------------------------------------------------------------------
def test_16_bit_rgb_png_keeps_its_16_bits(tmp_path):
    values = tf.seamless(64, 48)
    path = tf.save_png(tmp_path / "h.png", values, bits=16)
    px = decode_pixels(path)
    assert px.array.dtype == np.uint16 and px.channels == "RGB" and (px.width, px.height) == (64, 48)
    assert np.array_equal(px.array, (values * 65535 + 0.5).astype(np.uint16))


def test_rgba_png_alpha_is_not_premultiplied(tmp_path):
    alpha = np.full((8, 8), 0.5, np.float32)
    px = decode_pixels(tf.save_png(tmp_path / "a.png", np.full((8, 8, 3), 1.0, np.float32), alpha=alpha))
    assert px.channels == "RGBA" and px.array[0, 0].tolist() == [255, 255, 255, 128]


@pytest.mark.parametrize(("pixel_type", "dtype"), [("half", np.float16), ("float", np.float32)])
@pytest.mark.parametrize("compression", ["zip", "piz", "none", "rle"])
def test_exr_decodes_as_stored(tmp_path, pixel_type, dtype, compression):
    values = tf.seamless(40, 30) * 8.0
    path = tf.save_exr(tmp_path / "x.exr", values, pixel_type, compression)
    px = decode_pixels(path)
    assert px.array.dtype == dtype and px.channels == "RGB" and px.is_float
    assert np.allclose(px.array.astype(np.float32), values, rtol=1e-3, atol=1e-3)


def test_exr_single_channel_rgba_and_tiled(tmp_path):
    height = tf.seamless(33, 17)[:, :, 0] * 100
    px = decode_pixels(tf.save_exr(tmp_path / "h.exr", height, "float", tiled=True))
    assert px.channels == "L" and px.array.shape == (17, 33, 1)
    assert np.allclose(px.array[:, :, 0], height)
    rgba = np.concatenate([tf.seamless(16, 16), np.full((16, 16, 1), 0.25, np.float32)], axis=2)
    px = decode_pixels(tf.save_exr(tmp_path / "a.exr", rgba, "half", tiled=True))
    assert px.channels == "RGBA" and float(px.array[0, 0, 3]) == 0.25


def test_radiance_hdr_and_magic_bytes(tmp_path):
    path = tf.save_hdr(tmp_path / "sky.hdr", tf.seamless(64, 32) * 50)
    px = decode_pixels(path)
    assert px.array.dtype == np.float32 and px.channels == "RGB" and px.array.max() > 10
    assert float_format(path.read_bytes()[:16]) == "HDR"
    assert float_format(tf.save_exr(tmp_path / "x.exr", np.ones((4, 4))).read_bytes()[:4]) == "EXR"
    assert float_format(b"\x89PNG\r\n") is None


def test_decode_budget_and_damaged_files_name_the_file(tmp_path):
    noise = np.random.default_rng(0).random((64, 64, 3))  # incompressible: cutting the file cuts pixels
    path = tf.save_exr(tmp_path / "big.exr", noise, "float")
    with pytest.raises(VaultError, match="big.exr.*budget") as err:
        decode_pixels(path, max_bytes=1000)
    assert err.value.code == "too_large"
    cut = tmp_path / "cut.exr"
    cut.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])
    with pytest.raises(VaultError, match="cut.exr") as err:
        decode_pixels(cut)
    assert err.value.code == "unsupported_media"
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image at all")
    with pytest.raises(VaultError, match="junk.png"):
        decode_pixels(junk)
