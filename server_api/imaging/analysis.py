"""What a file's bytes are: Pillow probe (format, size, mode, true bit depth, alpha, ICC, orientation).

Pure functions, no store knowledge. Safety rules for untrusted files:
- the BYTES decide the format (``Image.open(..., formats=ALLOWED_FORMATS)``), never the extension;
  EPS/PS/PDF are never opened (Pillow would run Ghostscript on them);
- a decompression bomb is an error ("too_large"), checked on the declared size before any decoding;
- anything Pillow cannot decode becomes "unsupported_media" naming the file and the reason.
``analyze`` is the import's hot path: one open gives both the metadata and the thumbnail.
"""

from __future__ import annotations

import io
import logging
import os
import re
import struct
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from server_api.core.errors import VaultError
from server_api.imaging import colour, streaming
from server_api.imaging.budget import DECODE_BUDGET, decoded_bytes
from server_api.imaging.containers import check_chunks
from server_api.imaging.formats import FORMAT_NAMES, PILLOW_OPEN_ORDER, float_format, format_name
from server_api.imaging.info import ImageInfo
from server_api.imaging.limits import pixel_limit
from server_api.imaging.thumbnails import THUMB_SIDE, Thumbnail, render_thumbnail

log = logging.getLogger(__name__)

__all__ = [
    "ALLOWED_FORMATS", "THUMB_SIDE", "Thumbnail", "analyze", "analyze_with_facts", "make_thumbnail", "probe",
]

# Raster formats whose Pillow decoders are plain pixel parsers: the one table in imaging/formats.py.
_OPEN_ORDER = PILLOW_OPEN_ORDER
ALLOWED_FORMATS: frozenset[str] = frozenset(_OPEN_ORDER)
# What decoders raise on damaged or unusual data. Anything else is logged as a possible bug (ours or
# a decoder's) with its traceback; the user's result is the same "unsupported_media" either way.
_BAD_DATA = (OSError, SyntaxError, ValueError, EOFError, struct.error, NotImplementedError, IndexError,
             KeyError, OverflowError, UnidentifiedImageError)


# Magic bytes of formats we refuse by name, so the message says why (not just "unknown").
_REFUSED_MAGIC = {b"%!PS": "PostScript/EPS", b"\xc5\xd0\xd3\xc6": "EPS", b"%PDF": "PDF"}


def probe(path: str | os.PathLike[str], *, name: str | None = None) -> ImageInfo:
    """Metadata from the file's header, without decoding the pixels (fast, but a truncated pixel
    stream is only caught by ``analyze``/``make_thumbnail``, which decode)."""
    if fmt := _float_format_of(path):
        return _float(path, name, fmt, max_side=None)[0]
    with _opened(path, name) as (im, _label):
        return image_info(im)


def make_thumbnail(path: str | os.PathLike[str], *, max_side: int = THUMB_SIDE,
                   name: str | None = None) -> Thumbnail:
    if fmt := _float_format_of(path):
        return _float(path, name, fmt, max_side=max_side)[1]
    with _opened(path, name) as (im, label):
        return _thumbnail(path, im, label, max_side, _orientation(im))


def analyze(path: str | os.PathLike[str], *, max_side: int = THUMB_SIDE,
            name: str | None = None) -> tuple[ImageInfo, Thumbnail]:
    """Probe and thumbnail with ONE open and one decode: what an import runs per file. The info
    carries the fingerprint (perceptual hash, palette) of the thumbnail's pixels."""
    if fmt := _float_format_of(path):
        info, thumb = _float(path, name, fmt, max_side=max_side)
    else:
        with _opened(path, name) as (im, label):
            info = image_info(im)  # before decoding: the PNG/TIFF headers are still at hand
            thumb = _thumbnail(path, im, label, max_side, info.orientation)
    fingerprint = fingerprint_of(thumb, name or Path(path).name)
    return replace(info, fingerprint=fingerprint), replace(thumb, pixels=None)


def analyze_with_facts(path: str | os.PathLike[str], *, max_side: int = THUMB_SIDE, name: str | None = None):
    """``analyze`` plus the QA pixel facts (imaging/pixel_facts.py) from the SAME decode: what an
    import runs when its collection has a rule that reads pixels (issue 13; it used to decode the
    stored bytes a second time). Returns (info, thumbnail, facts or None). Apart from ``analyze`` on
    purpose: that hot path stays as it is for every import without such rules.
    PNG/TIFF big enough for libvips (never whole in memory) get their facts from a bounded decode of
    the same file; EXR/HDR have none (not Pillow's), nor does a file whose facts would not fit the
    decode budget when its thumbnail alone does (its pixel rules go unchecked, as before)."""
    from server_api.imaging import pixel_facts  # numpy: only for collections with pixel rules

    if _float_format_of(path):
        return (*analyze(path, max_side=max_side, name=name), None)
    streamed, facts = False, None
    with _opened(path, name) as (im, label):
        info = image_info(im)
        decoded = decoded_bytes(im.width, im.height, im.mode)
        # The facts' peak or the thumbnail's (decoded + a reduced copy), whichever is bigger.
        need = max(pixel_facts.working_bytes(im.width, im.height, im.mode), decoded + decoded // 2)
        need -= getattr(im, "vault_held_bytes", 0)
        streamed = streaming.wants_streaming(im, decoded)
        if streamed or need > DECODE_BUDGET.limit:
            thumb = _thumbnail(path, im, label, max_side, info.orientation)  # exactly as analyze's
        else:
            with DECODE_BUDGET.reserve(max(0, need), label):
                facts, thumb = pixel_facts.facts_and_thumbnail(im, max_side=max_side,
                                                               orientation=info.orientation, label=label)
    if streamed:
        with open(path, "rb") as stream:
            facts = pixel_facts.facts_of_stream(stream, label)
    fingerprint = fingerprint_of(thumb, label)  # from the thumbnail's pixels, then dropped as analyze does
    return replace(info, fingerprint=fingerprint), replace(thumb, pixels=None), facts


def fingerprint_of(thumb: Thumbnail, label: str):
    """The thumbnail's fingerprint (about 1 ms: a 32x32 DCT and a 32x32 palette) from the pixels it
    was encoded from, or by decoding it when those are gone. A failure here is ours, never the
    file's: logged, and the import goes on without one."""
    from server_api.imaging.fingerprint import fingerprint  # numpy loads with the first import

    try:
        if thumb.pixels is not None:
            return fingerprint(thumb.pixels)
        with Image.open(io.BytesIO(thumb.data)) as small:
            small.load()
            return fingerprint(small)
    except Exception:  # noqa: BLE001
        log.warning("%s: no perceptual hash or palette (a bug in Texture Vault?)", label, exc_info=True)
        return None


def _thumbnail(path, im: Image.Image, label: str, max_side: int, orientation: int | None) -> Thumbnail:
    """Decode within the process's decode budget: big PNG/TIFF stream through libvips (a few rows
    at a time), everything else decodes in Pillow with its whole estimated size reserved."""
    decoded = decoded_bytes(im.width, im.height, im.mode)
    held = getattr(im, "vault_held_bytes", 0)
    if streaming.wants_streaming(im, decoded):
        with DECODE_BUDGET.reserve(streaming.working_bytes(im.width), label):
            try:
                return streaming.stream_thumbnail(path, max_side=max_side, orientation=orientation)
            except streaming.StreamError as exc:
                raise VaultError("unsupported_media", f"{label}: damaged or truncated {im.format} data "
                                 f"({exc})") from exc
    # Pillow may hold the decoded image and one reduced copy of it at once.
    with DECODE_BUDGET.reserve(max(0, decoded + decoded // 2 - held), label):
        return render_thumbnail(im, max_side=max_side, orientation=orientation)


def _float_format_of(path: str | os.PathLike[str]) -> str | None:
    """"EXR" or "HDR" when the file's magic says so (OpenImageIO reads those, not Pillow)."""
    try:
        with open(path, "rb") as f:
            return float_format(f.read(16))
    except OSError:
        return None  # Pillow's path names the problem (missing, unreadable)


def _float(path, name: str | None, fmt: str, *, max_side: int | None) -> tuple[ImageInfo, Thumbnail | None]:
    """An EXR/HDR file's info and, with ``max_side``, its tone-mapped thumbnail (one open)."""
    from server_api.imaging import float_images  # OpenImageIO loads only when such a file comes

    label = name or Path(path).name
    try:
        with float_images.opened(path, fmt, label, pixel_limit()) as (source, spec):
            info = float_images.float_info(fmt, spec)
            thumb = None if max_side is None else float_images.float_thumbnail(source, spec, label, max_side)
            return info, thumb
    except VaultError:
        raise
    except MemoryError as exc:
        raise VaultError("too_large", f"{label}: not enough memory to decode it") from exc
    except Exception as exc:  # noqa: BLE001  (an untrusted file: any decoder error is its verdict)
        raise _damaged(label, f"{fmt} data", exc) from exc


@contextmanager
def _opened(path: str | os.PathLike[str], name: str | None) -> Iterator[tuple[Image.Image, str]]:
    """Open an untrusted file; every failure inside the block becomes a VaultError naming the file."""
    label = name or Path(path).name
    pixel_limit()  # read now: it also raises Pillow's own limit before Pillow looks
    held = ExitStack()  # ICO decodes inside Image.open: its budget is held from before the open
    try:
        check_chunks(path, label)  # a chunk Pillow would read whole, refused before it opens
        embedded = _embedded_decode_bytes(path, label)
        if embedded:
            held.enter_context(DECODE_BUDGET.reserve(embedded, label))
        im = Image.open(path, formats=_OPEN_ORDER)
        im.vault_held_bytes = embedded  # _thumbnail reserves only what this does not cover
    except BaseException as exc:
        held.close()
        if isinstance(exc, Exception):  # an untrusted file: any decoder error is its verdict
            raise _open_error(exc, label, path) from exc
        raise
    with held, im:
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
        except Exception as exc:  # noqa: BLE001
            # Decoders of damaged data raise many types (OSError, SyntaxError, struct.error, ...):
            # whatever it is, the user's file is unreadable, and the rest of a batch must go on.
            raise _damaged(label, f"{im.format} data", exc) from exc


def _open_error(exc: Exception, label: str, path: str | os.PathLike[str]) -> VaultError:
    """The verdict for a file Pillow could not open (nothing decoded yet, except ICO's icon)."""
    if isinstance(exc, VaultError):
        return exc
    if isinstance(exc, FileNotFoundError):
        return VaultError("not_found", f"{label}: no such file")
    if isinstance(exc, UnidentifiedImageError):
        return VaultError("unsupported_media", f"{label}: {_why_unidentified(path)}")
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        # So big that Pillow refused before we could look (the warning when warnings are errors).
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        return VaultError("too_large", f"{label}: {pixels.group(1) if pixels else 'too many'} pixels is over "
                          f"the limit of {pixel_limit()} (decompression bomb?)")
    if isinstance(exc, MemoryError):
        return VaultError("too_large", f"{label}: not enough memory to read the image header")
    if isinstance(exc, NotImplementedError):
        return VaultError("unsupported_media", f"{label}: uses a variant of its format that cannot be "
                          f"read ({exc or 'not implemented'})")
    return _damaged(label, "image", exc)


def _damaged(label: str, what: str, exc: Exception) -> VaultError:
    """The verdict for a decoder failure; an unexpected exception type is logged as a possible bug."""
    if not isinstance(exc, _BAD_DATA):
        log.warning("%s: unexpected %s while decoding (a bug in a decoder or in Texture Vault?)",
                    label, type(exc).__name__, exc_info=exc)
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return VaultError("unsupported_media", f"{label}: damaged or truncated {what} ({detail})")


_ICO_MAGIC = b"\x00\x00\x01\x00"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_MAX_ICO_ENTRIES = 256


def _embedded_decode_bytes(path: str | os.PathLike[str], label: str) -> int:
    """ICO files decode their largest embedded image inside ``Image.open``, and the size that counts
    is the embedded PNG's or BMP's own header, not the directory's: read those before Pillow does.
    Returns the bytes the biggest one decodes to (0 for other formats)."""
    biggest = 0
    with open(path, "rb") as f:
        head = f.read(6)
        if not head.startswith(_ICO_MAGIC) or len(head) < 6:
            return 0
        count = min(struct.unpack("<H", head[4:6])[0], _MAX_ICO_ENTRIES)
        entries = [f.read(16) for _ in range(count)]
        for entry in entries:
            if len(entry) < 16:
                break  # a short directory: Pillow reports the damage
            offset = struct.unpack("<I", entry[12:16])[0]
            f.seek(offset)
            data = f.read(24)
            if data.startswith(_PNG_MAGIC) and len(data) >= 24:
                width, height = struct.unpack(">II", data[16:24])
            elif len(data) >= 12:
                width, height = (abs(v) for v in struct.unpack("<ii", data[4:12]))
            else:
                continue
            if width * height > pixel_limit():
                raise VaultError("too_large", f"{label}: an icon inside it is {width}x{height} pixels, over "
                                 f"the limit of {pixel_limit()} (decompression bomb?)")
            biggest = max(biggest, decoded_bytes(width, height, "RGBA"))
    return biggest


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
    accepted = ", ".join(FORMAT_NAMES)
    return f"not an image in an accepted format ({accepted}), or its header is damaged"


# ---- metadata --------------------------------------------------------------------------------------

_MODE_BITS = {"1": 1, "I": 32, "F": 32}


def image_info(im: Image.Image) -> ImageInfo:
    """ImageInfo of an opened (not necessarily decoded) image."""
    return ImageInfo(
        format=format_name(im.format),
        width=im.width,
        height=im.height,
        mode=im.mode,
        bit_depth=_bit_depth(im),
        has_alpha=_has_alpha(im),
        has_icc=bool(im.info.get("icc_profile")),
        orientation=_orientation(im),
        colour_space=colour.file_evidence(im).space,  # header chunks only: nothing decoded
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
