"""Decode a whole image into stored values (a numpy array) for the viewer, seam and QA checks.

OpenImageIO decodes: it keeps what the file stores (16 bits per channel of an RGB PNG or TIFF,
which Pillow cuts to 8; half and float EXR; Radiance HDR) and reads scanline strips straight into
one preallocated array, so a 16K texture never needs a second full-size copy while decoding.
Pillow decodes the few allowed formats OpenImageIO lacks (QOI). Orientation is applied as a view.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import OpenImageIO as oiio
from PIL import Image

from server_api.core.errors import VaultError
from server_api.imaging.formats import float_format
from server_api.imaging.limits import pixel_limit

__all__ = ["Pixels", "channel_layout", "channel_order", "decode_pixels", "float_format", "read_strip"]

_STRIP_ROWS = 256
_DTYPES = {oiio.UINT8: np.uint8, oiio.UINT16: np.uint16, oiio.HALF: np.float16, oiio.FLOAT: np.float32}


@dataclass(frozen=True)
class Pixels:
    array: np.ndarray  # H×W×C stored values: uint8, uint16, float16 or float32
    channels: str  # "L", "LA", "RGB" or "RGBA"

    @property
    def width(self) -> int:
        return int(self.array.shape[1])

    @property
    def height(self) -> int:
        return int(self.array.shape[0])

    @property
    def is_float(self) -> bool:
        return bool(np.issubdtype(self.array.dtype, np.floating))

    @property
    def nbytes(self) -> int:
        return int(self.array.nbytes)


def decode_pixels(path: str | os.PathLike[str], *, name: str | None = None,
                  max_bytes: int | None = None) -> Pixels:
    """Every pixel of ``path`` as stored. ``max_bytes`` refuses ("too_large") before decoding."""
    label = name or Path(path).name
    config = oiio.ImageSpec()
    config.attribute("oiio:UnassociatedAlpha", 1)  # alpha as stored, never premultiplied on read
    source = oiio.ImageInput.open(str(path), config)
    oiio.geterror()  # drop what the readers tried said (else printed at exit as "pending")
    if source is None:
        return _decode_with_pillow(path, label, max_bytes)
    try:
        return _read(source, label, max_bytes)
    finally:
        source.close()


def _read(source, label: str, max_bytes: int | None) -> Pixels:
    spec = source.spec()
    width, height = spec.width, spec.height
    channels = channel_layout(list(spec.channelnames), spec.alpha_channel)
    dtype = _DTYPES.get(spec.format.basetype, np.float32)
    wanted = np.dtype(dtype).itemsize * width * height * len(channels)
    if width <= 0 or height <= 0:
        raise VaultError("unsupported_media", f"{label}: the image declares a size of {width}x{height}")
    if max_bytes is not None and wanted > max_bytes:
        raise VaultError("too_large", f"{label}: decoding {width}x{height} needs {wanted >> 20} MiB, "
                         f"over the budget of {max_bytes >> 20} MiB")
    order = channel_order(channels, spec)
    out = np.empty((height, width, len(channels)), dtype)
    typedesc = oiio.TypeDesc(next(k for k, v in _DTYPES.items() if v is dtype))
    rows = _STRIP_ROWS if not spec.tile_height else max(1, _STRIP_ROWS // spec.tile_height) * spec.tile_height
    for y in range(0, height, rows):
        end = min(height, y + rows)
        strip = read_strip(source, spec, y, end, typedesc)
        if strip is None or source.has_error:
            raise VaultError("unsupported_media", f"{label}: damaged or truncated data ({source.geterror()})")
        out[y:end] = strip.reshape(end - y, width, spec.nchannels)[:, :, order]
    return Pixels(_upright(out, spec.get_int_attribute("Orientation", 1)), channels)


def read_strip(source, spec, y: int, end: int, typedesc):
    """Rows [y, end) of every channel; tiled files (EXR, TIFF) are read by whole rows of tiles."""
    if spec.tile_width:
        return source.read_tiles(0, 0, spec.x, spec.x + spec.width, spec.y + y, spec.y + end, 0, 1, 0,
                                 spec.nchannels, typedesc)
    return source.read_scanlines(0, 0, spec.y + y, spec.y + end, 0, 0, spec.nchannels, typedesc)


def channel_layout(names: list[str], alpha_index: int) -> str:
    has_alpha = alpha_index >= 0 or any(n.upper() in ("A", "ALPHA") for n in names)
    colour = len(names) - (1 if has_alpha else 0)
    base = "RGB" if colour >= 3 else "L"
    return base + ("A" if has_alpha else "")


def channel_order(channels: str, spec) -> list[int]:
    """Indices of the file's channels that make up ``channels`` (R, G, B first, alpha last)."""
    names = [n.upper() for n in spec.channelnames]
    alpha = spec.alpha_channel if spec.alpha_channel >= 0 else next(
        (i for i, n in enumerate(names) if n in ("A", "ALPHA")), -1)
    colour = [i for i in range(len(names)) if i != alpha]
    if channels.startswith("RGB"):
        by_name = [names.index(c) for c in "RGB" if c in names]
        colour = by_name if len(by_name) == 3 else colour[:3]
    else:
        colour = colour[:1]
    return colour + ([alpha] if channels.endswith("A") else [])


# EXIF orientation → numpy views that show the picture upright (no copy).
def _upright(a: np.ndarray, orientation: int) -> np.ndarray:
    if orientation in (5, 6, 7, 8):
        a = a.transpose(1, 0, 2)
        orientation = {5: 1, 6: 2, 7: 3, 8: 4}[orientation]  # what is left after the transpose
    if orientation in (2, 3):
        a = a[:, ::-1]
    if orientation in (3, 4):
        a = a[::-1]
    return a


def _decode_with_pillow(path, label: str, max_bytes: int | None) -> Pixels:
    pixel_limit()  # ours (16K², settings), not Pillow's 178 Mpx
    try:
        with Image.open(path) as im:
            if max_bytes is not None and im.width * im.height * 4 > max_bytes:
                raise VaultError("too_large", f"{label}: decoding {im.width}x{im.height} is over the budget "
                                 f"of {max_bytes >> 20} MiB")
            im.load()
            mode = {"L": "L", "LA": "LA", "RGB": "RGB", "RGBA": "RGBA", "I;16": "I;16"}.get(im.mode)
            if mode is None:
                mode = "RGBA" if "transparency" in im.info or "A" in im.getbands() else "RGB"
                im = im.convert(mode)
            array = np.asarray(im)
    except VaultError:
        raise
    except Image.DecompressionBombError as exc:
        raise VaultError("too_large", f"{label}: {exc}") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise VaultError("unsupported_media", f"{label}: cannot decode the image ({exc})") from exc
    if array.ndim == 2:
        array = array[:, :, None]
    return Pixels(array, "L" if mode == "I;16" else mode)
