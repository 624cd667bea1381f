"""OpenEXR and Radiance HDR at import: true metadata from the header and a tone-mapped thumbnail.

Pillow has no decoder for either; OpenImageIO (the viewer's decoder, pixels.py) reads them. The bytes
decide: analysis.py sends a file here only when its magic says EXR or HDR, and the reader OpenImageIO
picks must be the one that magic names. The thumbnail is made from strips of rows, each box-reduced
as it arrives, so a 16K float EXR holds a few strips (reserved in the decode budget), never its
4 GiB of floats. Deep EXR (no flat pixels) is refused by name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import OpenImageIO as oiio
from PIL import Image

from server_api.core.errors import VaultError
from server_api.imaging.budget import DECODE_BUDGET
from server_api.imaging.colour import LINEAR
from server_api.imaging.info import ImageInfo
from server_api.imaging.pixels import channel_layout, channel_order, read_strip
from server_api.imaging.thumbnails import Thumbnail, encode_thumbnail, fit_size, reduce_factor
from server_api.imaging.tonemap import tonemap_hdr

_READERS = {"EXR": "openexr", "HDR": "hdr"}
MAX_CHANNELS = 64  # multi-layer EXRs carry a few dozen AOVs; thousands is a crafted file
STRIP_BYTES = 16 << 20  # float values read per strip for a thumbnail


@contextmanager
def opened(path: str | os.PathLike[str], fmt: str, label: str, pixel_limit: int) -> Iterator[tuple]:
    """(OpenImageIO input, spec) of an EXR/HDR file whose header passed the checks; closed after."""
    config = oiio.ImageSpec()
    config.attribute("oiio:UnassociatedAlpha", 1)
    source = oiio.ImageInput.open(os.fspath(path), config)
    if source is None:
        raise VaultError("unsupported_media", f"{label}: damaged {fmt} header ({_oiio_error(path, label)})")
    oiio.geterror()  # drop what readers tried first said (a .png name tries PNG first): it is not ours
    try:
        if source.format_name() != _READERS[fmt]:
            raise VaultError("unsupported_media", f"{label}: starts like {fmt} but is not a readable "
                             f"{fmt} file")
        spec = source.spec()
        if spec.deep:
            raise VaultError("unsupported_media", f"{label}: deep EXR (samples per pixel) cannot be shown")
        if spec.width <= 0 or spec.height <= 0 or not 1 <= spec.nchannels <= MAX_CHANNELS:
            raise VaultError("unsupported_media", f"{label}: the image declares {spec.width}x{spec.height} "
                             f"with {spec.nchannels} channels")
        if spec.width * spec.height > pixel_limit:
            raise VaultError("too_large", f"{label}: {spec.width}x{spec.height} pixels is over the limit of "
                             f"{pixel_limit} (decompression bomb?)")
        yield source, spec
    finally:
        source.close()


def float_info(fmt: str, spec) -> ImageInfo:
    """Half-float data is 16 bits per channel, float (and Radiance's RGBE) 32; the mode names the
    channels and says float ("RGB float", "L float")."""
    channels = channel_layout(list(spec.channelnames), spec.alpha_channel)
    bits = 16 if spec.format.basetype == oiio.HALF else 32
    return ImageInfo(format=fmt, width=spec.width, height=spec.height, mode=f"{channels} float",
                     bit_depth=bits, has_alpha=channels.endswith("A"), has_icc=False, orientation=None,
                     colour_space=LINEAR)  # float data is linear light


def float_thumbnail(source, spec, label: str, max_side: int) -> Thumbnail:
    """Decode every pixel, strip by strip, box-reduced on the way; tone-map the small result."""
    width, height = spec.width, spec.height
    target = fit_size((width, height), max_side)
    factor = reduce_factor((width, height), target)
    channels = channel_layout(list(spec.channelnames), spec.alpha_channel)
    order = channel_order(channels, spec)
    rows = _strip_rows(spec)
    strip_bytes = rows * width * spec.nchannels * 4
    small_bytes = (height // factor + 1) * (width // factor + 1) * len(channels) * 4
    with DECODE_BUDGET.reserve(3 * strip_bytes + 2 * small_bytes, label):
        reduced = []
        carry = None  # rows left over when a strip does not end on a multiple of the factor
        for y in range(0, height, rows):
            end = min(height, y + rows)
            strip = read_strip(source, spec, y, end, oiio.TypeDesc(oiio.FLOAT))
            if strip is None or source.has_error:
                raise VaultError("unsupported_media", f"{label}: damaged or truncated {_fmt(source)} data "
                                 f"({source.geterror() or 'no pixels'})")
            strip = strip.reshape(end - y, width, spec.nchannels)[:, :, order]
            if carry is not None:
                strip = np.concatenate([carry, strip])
            whole = strip.shape[0] // factor * factor
            if whole:
                reduced.append(_box(strip[:whole], factor))
            carry = strip[whole:] if whole < strip.shape[0] else None
        small = np.concatenate(reduced)
    picture = Image.fromarray(tonemap_hdr(small, channels), "RGBA" if channels.endswith("A") else "RGB")
    if picture.size != target:
        picture = picture.resize(target, Image.Resampling.BICUBIC)
    return encode_thumbnail(picture)


def _strip_rows(spec) -> int:
    """Rows per strip: about STRIP_BYTES of floats, whole rows of tiles for a tiled file."""
    rows = min(spec.height, max(1, STRIP_BYTES // (spec.width * spec.nchannels * 4)))
    if spec.tile_height:
        rows = max(1, rows // spec.tile_height) * spec.tile_height
    return rows


def _box(values: np.ndarray, factor: int) -> np.ndarray:
    """Mean of factor×factor blocks; a last partial column of blocks is dropped (a thumbnail: the
    factor leaves at least twice the target's side, see thumbnails.reduce_factor)."""
    if factor == 1:
        return values
    h, w, c = values.shape
    w = w // factor * factor
    blocks = values[:, :w].reshape(h // factor, factor, w // factor, factor, c)
    return blocks.mean(axis=(1, 3), dtype=np.float32)


def _fmt(source) -> str:
    return {v: k for k, v in _READERS.items()}.get(source.format_name(), "image")


def _oiio_error(path, label: str) -> str:
    """OpenImageIO's last message, naming the file as the user knows it (never a temp path)."""
    text = oiio.geterror().strip().replace(os.fspath(path), label)
    return text.splitlines()[-1][:200] if text else "not readable"
