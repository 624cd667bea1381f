"""Thumbnails of big PNG and TIFF files through libvips, which decodes a few rows at a time.

Pillow holds a whole decoded image: a 16384² 16-bit PNG is 512 MiB before any conversion, and the
import of one peaked at 1.63 GB. libvips (``pyvips`` with the ``pyvips-binary`` wheel, which ships
the library) shrinks while it decodes, in sequential access: measured on the same file, peak RSS
≈ 150 MB and about the same time as Pillow's decode alone (bench/memory_bench.py). It also reads
16-bit data without widening the whole image. Small images stay on Pillow, whose tuned path is
faster for them (no pipeline set-up, JPEG draft decoding). Without pyvips everything uses Pillow,
within the decode budget.
Interlaced PNGs are left to Pillow: libvips must decode them whole too.
"""

from __future__ import annotations

import os

from PIL import Image

from server_api.imaging.thumbnails import THUMB_SIDE, Thumbnail, encode_thumbnail, upright

_pyvips = None  # loaded on the first big image (libvips takes a while to load; most imports never need it)
_loaded = False


def _vips():
    """The pyvips module, or None when it cannot load (no wheel for this platform, no library)."""
    global _pyvips, _loaded
    if not _loaded:
        try:
            import pyvips
        except (ImportError, OSError):
            pyvips = None
        else:
            pyvips.cache_set_max(0)  # never keep decoded images around after a thumbnail is made
        _pyvips, _loaded = pyvips, True
    return _pyvips


class StreamError(Exception):
    """libvips could not decode the file (damaged or truncated data)."""

STREAMED_FORMATS = frozenset({"PNG", "TIFF"})
STREAM_ABOVE = 64 << 20  # decoded bytes from which libvips wins (below it Pillow is as lean)
_BANDS_TO_MODE = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def available() -> bool:
    return _vips() is not None


def wants_streaming(im: Image.Image, decoded: int) -> bool:
    """True when ``im`` (opened by Pillow, not decoded) is better thumbnailed by libvips."""
    if decoded < STREAM_ABOVE or im.format not in STREAMED_FORMATS or not available():
        return False
    return not (im.format == "PNG" and im.info.get("interlace"))


def working_bytes(width: int) -> int:
    """Memory a streamed thumbnail holds: libvips' row buffers (a few hundred rows of 8 bytes per
    channel per thread) plus its fixed costs; what the decode budget reserves for it."""
    return (32 << 20) + width * 4 * 8 * 256


def stream_thumbnail(path: str | os.PathLike[str], *, max_side: int = THUMB_SIDE,
                     orientation: int | None = None) -> Thumbnail:
    """Decode the whole file (a damaged pixel stream raises StreamError) into a thumbnail."""
    pyvips = _vips()
    try:
        return _render(pyvips, path, max_side, orientation)
    except pyvips.Error as exc:
        raise StreamError(_last_line(str(exc))) from exc


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "libvips error"


def _render(pyvips, path, max_side: int, orientation: int | None) -> Thumbnail:
    image = pyvips.Image.thumbnail(os.fspath(path), max_side, height=max_side, size="down",
                                   no_rotate=True, fail_on="error")
    if image.interpretation not in ("b-w", "srgb"):
        image = image.colourspace("srgb")  # CMYK, 16-bit, float, Lab ...: to 8-bit sRGB
    if image.format != "uchar":
        image = image.cast("uchar")
    if image.bands > 4:
        image = image.extract_band(0, n=4)
    mode = _BANDS_TO_MODE[image.bands]
    small = Image.frombytes(mode, (image.width, image.height), image.write_to_memory())
    return encode_thumbnail(upright(small, orientation))
