"""Probe and thumbnails on real files written by Pillow (tests/corpus.py)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from corpus import KINDS, write_corrupt, write_image, write_truncated, write_unsupported
from PIL import Image, ImageCms, ImageOps, ImageStat

from server_api import imaging
from server_api.core.errors import VaultError
from server_api.imaging import limits

# kind -> (format, mode, bit depth, alpha) a user should see in the texture's details
EXPECTED = {
    "png_rgb": ("PNG", "RGB", 8, False),
    "png_rgba": ("PNG", "RGBA", 8, True),
    "png_16": ("PNG", "RGB", 16, False),
    "png_palette": ("PNG", "P", 8, False),
    "jpeg": ("JPEG", "RGB", 8, False),
    "tiff_8": ("TIFF", "RGB", 8, False),
    "tiff_16_gray": ("TIFF", "I;16", 16, False),
    "tiff_48_rgb": ("TIFF", "RGB", 16, False),
    "tga": ("TGA", "RGBA", 8, True),
    "webp": ("WEBP", "RGB", 8, False),
    "bmp": ("BMP", "RGB", 8, False),
    "gif": ("GIF", "P", 8, False),
    "dds": ("DDS", "RGBA", 8, True),
}


def test_every_corpus_kind_has_an_expectation():
    assert set(EXPECTED) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_probe_reports_format_size_mode_depth_alpha(tmp_path, kind):
    # No extension at all: the bytes decide the format.
    path = write_image(tmp_path / "texture", kind, size=(96, 40))
    info = imaging.probe(path)
    assert (info.format, info.mode, info.bit_depth, info.has_alpha) == EXPECTED[kind]
    assert (info.width, info.height) == (96, 40)
    assert info.has_icc is False
    assert info.orientation is None


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_thumbnails_to_256_on_the_long_side(tmp_path, kind):
    path = write_image(tmp_path / "texture", kind, size=(600, 300))
    info, thumb = imaging.analyze(path)
    assert info == imaging.probe(path)
    shown = Image.open(io.BytesIO(thumb.data))
    assert shown.size == (256, 128)
    assert shown.format == thumb.format == ("WEBP" if EXPECTED[kind][3] else "JPEG")
    low, high = shown.convert("L").getextrema()
    assert high - low > 50  # a real picture, not a flat black or white square


def test_extension_does_not_decide_the_format(tmp_path):
    path = write_image(tmp_path / "actually_a_png.jpg", "png_rgba", size=(32, 32))
    assert imaging.probe(path).format == "PNG"


def test_small_image_is_not_enlarged(tmp_path):
    path = write_image(tmp_path / "tiny.png", "png_rgb", size=(40, 20))
    shown = Image.open(io.BytesIO(imaging.make_thumbnail(path).data))
    assert shown.size == (40, 20)


def test_16_bit_gray_thumbnail_keeps_its_tones(tmp_path):
    # convert("L") would clip every 16-bit value above 255 to white.
    path = write_image(tmp_path / "height.tif", "tiff_16_gray", size=(1024, 512))
    source_mean = Image.open(path).convert("I").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)) / 257
    assert 20 < source_mean < 235
    shown = Image.open(io.BytesIO(imaging.make_thumbnail(path).data)).convert("L")
    assert abs(ImageStat.Stat(shown).mean[0] - source_mean) < 6
    assert shown.getextrema()[1] < 255


def test_jpeg_thumbnail_is_really_decoded(tmp_path):
    # draft() alone can leave an image that reports the small size and holds no pixels.
    picture = Image.new("RGB", (2048, 1024), (200, 30, 30))
    picture.paste((30, 30, 200), (1024, 0, 2048, 1024))
    path = tmp_path / "halves.jpg"
    picture.save(path, "JPEG", quality=90)
    shown = Image.open(io.BytesIO(imaging.make_thumbnail(path).data)).convert("RGB")
    assert shown.size == (256, 128)
    left, right = shown.getpixel((20, 64)), shown.getpixel((236, 64))
    assert left[0] > 150 and left[2] < 80
    assert right[2] > 150 and right[0] < 80


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_exif_orientation_is_read_and_applied(tmp_path, fmt):
    picture = Image.new("RGB", (120, 60), (220, 20, 20))
    picture.paste((20, 20, 220), (60, 0, 120, 60))  # left red, right blue
    exif = Image.Exif()
    exif[274] = 6  # "rotate 90 clockwise to view"
    path = tmp_path / f"rotated.{fmt.lower()}"
    picture.save(path, fmt, exif=exif)
    assert imaging.probe(path).orientation == 6
    upright = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    shown = Image.open(io.BytesIO(imaging.make_thumbnail(path).data)).convert("RGB")
    assert shown.size == upright.size == (60, 120)
    for point in [(30, 10), (30, 110)]:
        assert all(abs(a - b) < 40 for a, b in zip(shown.getpixel(point), upright.getpixel(point)))


def test_icc_profile_is_detected(tmp_path):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = tmp_path / "tagged.png"
    Image.new("RGB", (16, 16), "gray").save(path, "PNG", icc_profile=icc)
    assert imaging.probe(path).has_icc is True


def test_palette_with_transparency_counts_as_alpha(tmp_path):
    picture = Image.new("P", (64, 64), 0)
    picture.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    picture.paste(1, (0, 0, 32, 64))
    path = tmp_path / "cutout.png"
    picture.save(path, "PNG", transparency=0)
    info, thumb = imaging.analyze(path)
    assert info.has_alpha is True
    assert thumb.format == "WEBP"
    assert Image.open(io.BytesIO(thumb.data)).convert("RGBA").getpixel((50, 32))[3] < 20


def test_opaque_rgba_thumbnails_as_jpeg(tmp_path):
    path = tmp_path / "opaque.png"
    Image.new("RGBA", (300, 300), (10, 200, 10, 255)).save(path)
    info, thumb = imaging.analyze(path)
    assert info.has_alpha is True  # the file has an alpha channel ...
    assert thumb.format == "JPEG"  # ... but nothing is see-through, so the small JPEG is right


@pytest.mark.parametrize(("mode", "fmt"), [("CMYK", "TIFF"), ("CMYK", "JPEG"), ("L", "JPEG"), ("LA", "TIFF"),
                                           ("1", "TIFF"), ("I", "TIFF"), ("F", "TIFF")])
def test_unusual_modes_thumbnail(tmp_path, mode, fmt):
    picture = Image.linear_gradient("L").resize((512, 300)).convert(mode)
    path = tmp_path / "odd.img"
    picture.save(path, fmt)
    info, thumb = imaging.analyze(path)
    assert info.mode == mode
    assert info.bit_depth == {"1": 1, "I": 32, "F": 32}.get(mode, 8)
    shown = Image.open(io.BytesIO(thumb.data))
    assert shown.size == (256, 150)
    low, high = shown.convert("L").getextrema()
    assert high - low > 100


def _expect_rejected(call, path, code, *words):
    with pytest.raises(VaultError) as caught:
        call(path)
    assert caught.value.code == code
    for word in words:
        assert word in caught.value.message
    return caught.value


@pytest.mark.parametrize("call", [imaging.probe, imaging.analyze, imaging.make_thumbnail])
def test_corrupt_and_unsupported_files_name_the_file(tmp_path, call):
    _expect_rejected(call, write_corrupt(tmp_path / "broken.png"), "unsupported_media", "broken.png")
    _expect_rejected(call, write_unsupported(tmp_path / "notes.png"), "unsupported_media", "notes.png")
    (tmp_path / "empty.png").write_bytes(b"")
    _expect_rejected(call, tmp_path / "empty.png", "unsupported_media", "empty.png", "empty")


@pytest.mark.parametrize("kind", ["png_rgb", "jpeg", "tiff_8", "webp"])
def test_truncated_files_are_rejected_when_decoded(tmp_path, kind):
    path = write_truncated(tmp_path / f"cut_{kind}", kind, size=(512, 512))
    _expect_rejected(imaging.analyze, path, "unsupported_media", f"cut_{kind}")


def test_eps_is_refused_by_its_bytes(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    error = _expect_rejected(imaging.analyze, path, "unsupported_media", "logo.png", "EPS")
    assert "not accepted" in error.message


def test_message_uses_the_given_name_not_the_temp_path(tmp_path):
    path = write_corrupt(tmp_path / "a1b2c3.part")
    error = _expect_rejected(lambda p: imaging.analyze(p, name="wall_albedo.png"), path,
                             "unsupported_media", "wall_albedo.png")
    assert "a1b2c3" not in error.message


def test_missing_file_is_not_found(tmp_path):
    _expect_rejected(imaging.probe, tmp_path / "gone.png", "not_found", "gone.png")


def _png_header_only(width: int, height: int) -> bytes:
    """A 60-byte PNG that declares width x height pixels: a classic decompression bomb shape."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


# Far over Pillow's own limit (it refuses), and just over ours (Pillow only warns; we refuse).
@pytest.mark.parametrize("side", [100_000, 20_000])
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_is_an_error(tmp_path, side):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(side, side))
    for call in (imaging.probe, imaging.analyze):
        _expect_rejected(call, path, "too_large", "bomb.png", "decompression bomb")


def test_pixel_limit_is_configurable(tmp_path, monkeypatch):
    path = write_image(tmp_path / "big.png", "png_rgb", size=(64, 48))
    monkeypatch.setattr(limits, "MAX_IMAGE_PIXELS", 1000)
    _expect_rejected(imaging.analyze, path, "too_large", "big.png", "64x48", "1000")
    monkeypatch.setattr(limits, "MAX_IMAGE_PIXELS", 64 * 48)
    assert imaging.probe(path).width == 64


def test_eps_and_pdf_are_never_allowed():
    assert not {"EPS", "PS", "PDF"} & imaging.ALLOWED_FORMATS
    assert {"PNG", "JPEG", "TIFF", "BMP", "GIF", "TGA", "DDS", "WEBP", "PSD"} <= imaging.ALLOWED_FORMATS
