"""Thumbnails of any image Pillow opened: about THUMB_SIDE px on the longest side, encoded small.

Measured choices (2 cores, 2K sources; see bench/import_bench.py):
- JPEG sources decode through ``draft()`` at 1/2..1/8 scale: 1.5 ms instead of 6 ms for a full decode.
- RGBA/LA shrink band by band: Pillow's RGBA resize premultiplies the full-size image first
  (about 40 ms of a 2K PNG's 90 ms); reducing the bands separately costs 14 ms. Only the integer
  pre-reduction skips premultiplying; the final resize (small by then) still does it.
- Opaque results encode as JPEG q85 (0.5 ms); alpha as WebP method 0 (2.3 ms; PNG takes 24 ms and
  Pillow's default WebP about 50 ms).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image

THUMB_SIDE = 256
PREVIEW_SIDE = 512  # a larger preview, made on request, for grid tiles above THUMB_SIDE
THUMB_SIDES = (THUMB_SIDE, PREVIEW_SIDE)
JPEG_QUALITY = 85
WEBP_QUALITY = 80

# EXIF orientation -> the transpose that shows the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    format: str  # "JPEG" when opaque, "WEBP" where there is alpha
    # The pixels before encoding (RGB, L or RGBA): the import's fingerprint reads these instead of
    # decoding ``data`` again. Dropped before the thumbnail is kept (analysis.analyze).
    pixels: Image.Image | None = field(default=None, compare=False, repr=False)


def render_thumbnail(
    im: Image.Image, *, max_side: int = THUMB_SIDE, orientation: int | None = None
) -> Thumbnail:
    """Decode ``im`` (freshly opened, not yet loaded) and return its encoded thumbnail."""
    target = fit_size(im.size, max_side)
    if im.format in ("JPEG", "MPO"):
        im.draft(None, target)
    im.load()  # draft() alone leaves the image reporting the small size with nothing decoded
    return encode_thumbnail(upright(_shrink(im, target), orientation))


def upright(im: Image.Image, orientation: int | None) -> Image.Image:
    """``im`` turned the way its EXIF orientation says the picture is meant to be seen."""
    return im.transpose(_UPRIGHT[orientation]) if orientation in _UPRIGHT else im


def encode_thumbnail(small: Image.Image) -> Thumbnail:
    """An already small image encoded: JPEG when opaque, WebP where some pixel is see-through."""
    return _encode(_encodable(small))


def fit_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """``size`` scaled to fit a max_side square, keeping the aspect ratio, never enlarged."""
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def reduce_factor(size: tuple[int, int], target: tuple[int, int]) -> int:
    # Same rule as Pillow's reducing_gap=2.0: a cheap box reduction to at least twice the target,
    # then a proper resampling filter for the rest.
    return max(1, min(size[0] // target[0], size[1] // target[1]) // 2)


def _shrink(im: Image.Image, target: tuple[int, int]) -> Image.Image:
    """A decoded image reduced to ``target``. The full-size image is never converted or copied
    whole: the cheap integer reduction runs on strips of rows, each converted on its own (a whole
    16384² 16-bit image turned into 32-bit ints first would need 1 GiB more)."""
    im = _reduced(im, reduce_factor(im.size, target))
    if im.mode.startswith("I;16"):
        im = im.convert("I")  # small by now
    if im.mode in ("I", "F"):
        return _gray_to_8bit(im, target, full_scale=65535 if _was_16bit(im) else None)
    if im.size == target:
        return im
    return im.resize(target, Image.Resampling.BICUBIC, reducing_gap=2.0)


STRIP_PIXELS = 1 << 22  # 4 Mpx per strip: 16 MB of RGBA, small beside any image worth stripping


def _working_mode(im: Image.Image) -> str:
    """The mode resampling works in: palette indices, 1-bit and premultiplied data are converted,
    16-bit greyscale goes to 32-bit ints (reduce() refuses I;16; convert("L") would clip)."""
    if im.mode.startswith("I;16"):
        return "I16"  # marked so _gray_to_8bit keeps the 16-bit scale
    if im.mode in ("P", "PA"):
        return "RGBA" if im.mode == "PA" or "transparency" in im.info else "RGB"
    if im.mode == "1":
        return "L"
    if im.mode in ("RGBa", "La"):
        return im.mode[:-1] + "A"
    return im.mode


def _converted(strip: Image.Image, mode: str) -> Image.Image:
    if mode == "I16":
        return strip.convert("I")
    return strip if strip.mode == mode else strip.convert(mode)


def _reduce_part(part: Image.Image, factor: int) -> Image.Image:
    if factor == 1:
        return part
    if part.mode in ("RGBA", "LA"):
        # Band by band: Pillow's RGBA reduce would premultiply the whole strip first.
        return Image.merge(part.mode, [band.reduce(factor) for band in part.split()])
    return part.reduce(factor)


def _reduced(im: Image.Image, factor: int) -> Image.Image:
    """``im`` in its working mode, box-reduced by ``factor``, converted one strip of rows at a time."""
    mode = _working_mode(im)
    width, height = im.size
    if width * height <= STRIP_PIXELS:
        out = _reduce_part(_converted(im, mode), factor)
    else:
        rows = max(factor, STRIP_PIXELS // width // factor * factor)
        out = None
        for top in range(0, height, rows):
            strip = im.crop((0, top, width, min(height, top + rows)))
            small = _reduce_part(_converted(strip, mode), factor)
            if out is None:
                out = Image.new(small.mode, (-(-width // factor), -(-height // factor)))
            out.paste(small, (0, top // factor))
    if mode == "I16":
        out.info["vault_16bit"] = True
    return out


def _was_16bit(im: Image.Image) -> bool:
    return bool(im.info.get("vault_16bit"))


def _gray_to_8bit(im: Image.Image, target: tuple[int, int], full_scale: int | None) -> Image.Image:
    """16/32-bit greyscale (already reduced) to an 8-bit thumbnail. 16-bit keeps its own scale
    (0..65535); 32-bit int and float have none, so they are stretched between their extremes."""
    if full_scale is None:
        low, high = im.getextrema()
        span = (high - low) or 1
        im = im.point(lambda v: (v - low) * (255 / span))
    else:
        im = im.point(lambda v: v * (255 / full_scale))
    im = im.convert("L")
    return im if im.size == target else im.resize(target, Image.Resampling.BICUBIC)


def _encodable(im: Image.Image) -> Image.Image:
    """RGB or L when opaque (for JPEG), RGBA only when some pixel is actually see-through."""
    if im.mode in ("RGBA", "LA"):
        low, _high = im.getchannel("A").getextrema()
        if low == 255:
            return im.convert("RGB" if im.mode == "RGBA" else "L")
        return im.convert("RGBA")
    if im.mode in ("RGB", "L"):
        return im
    return im.convert("RGB")  # CMYK, YCbCr, LAB, RGBX ...


def _encode(im: Image.Image) -> Thumbnail:
    out = io.BytesIO()
    if im.mode == "RGBA":
        im.save(out, "WEBP", quality=WEBP_QUALITY, method=0)
        return Thumbnail(out.getvalue(), "WEBP", im)
    im.save(out, "JPEG", quality=JPEG_QUALITY)
    return Thumbnail(out.getvalue(), "JPEG", im)
