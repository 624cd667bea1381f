"""What a file's bytes are: Pillow probe (format, size, mode, true bit depth, alpha, ICC, orientation).

Pure functions, no store knowledge. Safety rules for untrusted files:
- the BYTES decide the format (``Image.open(..., formats=ALLOWED_FORMATS)``), never the extension;
  EPS/PS/PDF are never opened (Pillow would run Ghostscript on them);
- a decompression bomb is an error ("too_large"), checked on the declared size before any decoding;
- anything Pillow cannot decode becomes "unsupported_media" naming the file and the reason.
``analyze`` is the import's hot path: one open gives both the metadata and the thumbnail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from server_api.core.errors import VaultError
from server_api.core.settings import settings
from server_api.imaging.containers import check_chunks
from server_api.imaging.thumbnails import THUMB_SIDE, Thumbnail, render_thumbnail
from server_api.store.entities import ImageInfo

__all__ = [
    "ALLOWED_FORMATS", "MAX_IMAGE_PIXELS", "THUMB_SIDE", "Thumbnail", "analyze", "make_thumbnail", "probe",
]

# Raster formats whose Pillow decoders are plain pixel parsers, common ones first (Pillow tries them
# in this order). Deliberately absent: EPS/PS/PDF (Ghostscript), WMF/EMF (vector), and rarely used
# scientific formats nobody paints textures in. (Multi-picture JPEGs, "MPO", arrive through JPEG.)
_OPEN_ORDER = ("PNG", "JPEG", "TIFF", "TGA", "DDS", "WEBP", "PSD", "BMP", "GIF", "DIB", "QOI", "PPM", "SGI",
               "ICO")
ALLOWED_FORMATS: frozenset[str] = frozenset(_OPEN_ORDER)


# VAULT_MAX_IMAGE_PIXELS (default 16K x 16K: 16K textures are real; a bigger one is almost surely a
# bomb), taken from the settings on the first open; a test may set it outright.
MAX_IMAGE_PIXELS: int | None = None


def pixel_limit() -> int:
    global MAX_IMAGE_PIXELS
    if MAX_IMAGE_PIXELS is None:
        MAX_IMAGE_PIXELS = settings().max_image_pixels
    # Pillow warns above its own limit (89 Mpx) and refuses above twice that, before we can look. Raise
    # its limit to ours so a legal 16K texture opens; we enforce our limit ourselves in _opened(), so a
    # file in Pillow's warning zone is rejected too, never decoded (the warning may still be logged).
    if Image.MAX_IMAGE_PIXELS is not None and Image.MAX_IMAGE_PIXELS < MAX_IMAGE_PIXELS:
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    return MAX_IMAGE_PIXELS

# Magic bytes of formats we refuse by name, so the message says why (not just "unknown").
_REFUSED_MAGIC = {b"%!PS": "PostScript/EPS", b"\xc5\xd0\xd3\xc6": "EPS", b"%PDF": "PDF"}


def probe(path: str | os.PathLike[str], *, name: str | None = None) -> ImageInfo:
    """Metadata from the file's header, without decoding the pixels (fast, but a truncated pixel
    stream is only caught by ``analyze``/``make_thumbnail``, which decode)."""
    with _opened(path, name) as (im, _label):
        return image_info(im)


def make_thumbnail(path: str | os.PathLike[str], *, max_side: int = THUMB_SIDE,
                   name: str | None = None) -> Thumbnail:
    with _opened(path, name) as (im, _label):
        return render_thumbnail(im, max_side=max_side, orientation=_orientation(im))


def analyze(path: str | os.PathLike[str], *, max_side: int = THUMB_SIDE,
            name: str | None = None) -> tuple[ImageInfo, Thumbnail]:
    """Probe and thumbnail with ONE open and one decode: what an import runs per file."""
    with _opened(path, name) as (im, _label):
        info = image_info(im)  # before decoding: the PNG/TIFF headers are still at hand
        return info, render_thumbnail(im, max_side=max_side, orientation=info.orientation)


@contextmanager
def _opened(path: str | os.PathLike[str], name: str | None) -> Iterator[tuple[Image.Image, str]]:
    """Open an untrusted file; every failure inside the block becomes a VaultError naming the file."""
    label = name or Path(path).name
    pixel_limit()  # read now: it also raises Pillow's own limit before Pillow looks
    try:
        check_chunks(path, label)  # a chunk Pillow would read whole, refused before it opens
        im = Image.open(path, formats=_OPEN_ORDER)
    except FileNotFoundError as exc:
        raise VaultError("not_found", f"{label}: no such file") from exc
    except UnidentifiedImageError as exc:
        raise VaultError("unsupported_media", f"{label}: {_why_unidentified(path)}") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # So big that Pillow refused before we could look (the warning when warnings are errors).
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        raise VaultError("too_large", f"{label}: {pixels.group(1) if pixels else 'too many'} pixels is over "
                         f"the limit of {pixel_limit()} (decompression bomb?)") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise VaultError("unsupported_media", f"{label}: cannot read the image ({exc})") from exc
    with im:
        width, height = im.size
        if width <= 0 or height <= 0:
            raise VaultError("unsupported_media", f"{label}: the image declares a size of {width}x{height}")
        if width * height > pixel_limit():
            raise VaultError("too_large", f"{label}: {width}x{height} pixels is over the limit of "
                             f"{pixel_limit()} (decompression bomb?)")
        try:
            yield im, label
        except VaultError:
            raise
        except MemoryError as exc:
            raise VaultError("too_large", f"{label}: not enough memory to decode {width}x{height}") from exc
        except Exception as exc:
            # Decoders of damaged data raise many types (OSError, SyntaxError, struct.error, ...):
            # whatever it is, the user's file is unreadable, and the rest of a batch must go on.
            raise VaultError("unsupported_media", f"{label}: damaged or truncated {im.format} data "
                             f"({exc})") from exc


def _why_unidentified(path: str | os.PathLike[str]) -> str:
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        return f"cannot read the file ({exc.strerror})"
    for magic, kind in _REFUSED_MAGIC.items():
        if head.startswith(magic):
            return f"{kind} files are not accepted (only raster images)"
    if not head:
        return "the file is empty"
    accepted = ", ".join(f for f in _OPEN_ORDER if f != "DIB")
    return f"not an image in an accepted format ({accepted}), or its header is damaged"


# ---- metadata --------------------------------------------------------------------------------------

_MODE_BITS = {"1": 1, "I": 32, "F": 32}


def image_info(im: Image.Image) -> ImageInfo:
    """ImageInfo of an opened (not necessarily decoded) image."""
    return ImageInfo(
        format="JPEG" if im.format == "MPO" else str(im.format),
        width=im.width,
        height=im.height,
        mode=im.mode,
        bit_depth=_bit_depth(im),
        has_alpha=_has_alpha(im),
        has_icc=bool(im.info.get("icc_profile")),
        orientation=_orientation(im),
    )


def _bit_depth(im: Image.Image) -> int:
    """True bits per channel. Pillow decodes 16-bit RGB PNG and 48-bit TIFF to mode RGB, so ask the
    file's own header: the TIFF BitsPerSample tag, or the PNG raw mode set from the IHDR chunk."""
    if im.format == "TIFF":
        bits = getattr(im, "tag_v2", {}).get(258)
        if bits:
            return int(max(bits) if isinstance(bits, tuple) else bits)
    if im.format == "PNG" and im.tile and isinstance(im.tile[0].args, str):
        rawmode = im.tile[0].args  # e.g. "RGB;16B", "I;16B", "L;4", "1", "P;2"
        if rawmode.endswith(("16B", "16")):
            return 16
        if rawmode.startswith("L;") and rawmode[2:].isdigit():
            return int(rawmode[2:])
    if im.mode.startswith("I;16"):
        return 16
    return _MODE_BITS.get(im.mode, 8)


def _has_alpha(im: Image.Image) -> bool:
    # "transparency" covers palette images with a transparent index and tRNS colour keys.
    return "A" in im.getbands() or "a" in im.getbands() or "transparency" in im.info


def _orientation(im: Image.Image) -> int | None:
    """EXIF orientation 1..8. PNG keeps EXIF in an eXIf chunk; Pillow's getexif() would decode the
    whole PNG to look after the pixels, so read only what the header already gave."""
    try:
        if im.format == "PNG":
            raw = im.info.get("exif")
            if not raw:
                return None
            exif = Image.Exif()
            exif.load(raw)
        else:
            exif = im.getexif()
        value = exif.get(274)
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, IndexError):
        return None  # damaged EXIF must not reject an otherwise good image
    return value if isinstance(value, int) and 1 <= value <= 8 else None
