"""What one version's pixels say: its stored values, a mip pyramid, the seam score and the colour
space. One home for the viewer (vault_desktop/viewer/loading.py) and `vault info`."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

from PIL import Image

from server_api.imaging.colour import LINEAR, UNKNOWN, ColourSpace, decide, file_evidence
from server_api.imaging.limits import pixel_limit
from server_api.imaging.map_names import read_name
from server_api.imaging.pixels import Pixels, decode_pixels
from server_api.imaging.pyramid import Pyramid
from server_api.imaging.seams import SeamScore, seam_score

_SEAM_SIDE = 4096  # seam score from a level no larger than this: the same answer, far less reading


@dataclass(frozen=True)
class VersionPixels:
    pixels: Pixels  # level 0, stored values
    pyramid: Pyramid
    seam: SeamScore
    colour: ColourSpace  # srgb | linear | unknown, and why


def measure_version(store, version_id: int, name: str, max_bytes: int | None = None) -> VersionPixels:
    """Decode every pixel of a version (a worker thread's job) and measure it."""
    with store.open_version(version_id) as stream:
        local = getattr(stream, "name", None)
        if isinstance(local, str) and os.path.isfile(local):
            pixels = decode_pixels(local, name=name, max_bytes=max_bytes)
            evidence = _evidence(local, pixels)
        else:  # a server's stream: the decoder reads files, so spool it to one first
            suffix = os.path.splitext(name)[1]
            with tempfile.NamedTemporaryFile(suffix=suffix) as spool:
                shutil.copyfileobj(stream, spool, 1 << 20)
                spool.flush()
                pixels = decode_pixels(spool.name, name=name, max_bytes=max_bytes)
                evidence = _evidence(spool.name, pixels)
    pyramid = Pyramid(pixels.array)
    level = seam_level(pyramid)
    w, h = pyramid.size(level)
    seam = seam_score(pyramid.block(level, 0, 0, w, h)) if min(w, h) >= 3 else SeamScore(1.0, 1.0)
    colour = decide(evidence, is_float=pixels.is_float, role=read_name(name).role)
    return VersionPixels(pixels, pyramid, seam, colour)


def seam_level(pyramid: Pyramid) -> int:
    """The largest stored level no larger than _SEAM_SIDE: level 1 is not stored, and averaging it
    from the whole texture took 4 s of an 8K load."""
    fitting = [lv for lv in pyramid.stored_levels if max(pyramid.size(lv)) <= _SEAM_SIDE]
    return fitting[0] if fitting else pyramid.top


def _evidence(path: str, pixels: Pixels) -> ColourSpace:
    """The file header's word on its colour space (ICC, PNG sRGB/gAMA); floats need no look."""
    if pixels.is_float:
        return ColourSpace(LINEAR, "float data")
    pixel_limit()  # Pillow's own bomb limit (178 Mpx) would refuse a 16K texture's header
    try:
        with Image.open(path) as im:  # the header only: nothing is decoded
            return file_evidence(im)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return ColourSpace(UNKNOWN, "the header could not be read")
