"""Worker jobs of the viewer: decode a version into a pyramid (plus its seam score, normal-map check
and histogram), and render one display tile. Plain values in and out; no widget is touched."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

from PIL import Image
from PySide6.QtGui import QImage

from server_api.imaging.colour import ColourSpace, decide, file_evidence
from server_api.imaging.histogram import Histogram, histogram
from server_api.imaging.normals import Convention, NormalMapCheck, check_normal_map, convention_from_name
from server_api.imaging.pixels import Pixels, decode_pixels
from server_api.imaging.pyramid import Pyramid
from server_api.imaging.seams import SeamScore, seam_score
from server_api.imaging.tonemap import DisplaySettings, display_bgra
from server_api.workflows.map_names import read_name

TILE = 512  # display pixels per tile side, at every level
_SEAM_SIDE = 4096  # seam score from a level no larger than this: the same answer, far less reading


@dataclass(frozen=True)
class LoadedTexture:
    version_id: int
    pixels: Pixels  # level 0, stored values
    pyramid: Pyramid
    seam: SeamScore
    normal: NormalMapCheck
    convention: Convention | None  # from the name: OpenGL or DirectX
    histogram: Histogram
    colour: ColourSpace  # srgb | linear | unknown, and why


def load_texture(store, version_id: int, name: str, max_bytes: int | None = None) -> LoadedTexture:
    """Decode every pixel of a version (off the GUI thread) and measure what the viewer shows."""
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
    space = decide(evidence, is_float=pixels.is_float, role=read_name(name).role)
    pyramid = Pyramid(pixels.array)
    level = seam_level(pyramid)
    w, h = pyramid.size(level)
    sample = pyramid.block(level, 0, 0, w, h)
    seam = seam_score(sample) if min(w, h) >= 3 else SeamScore(1.0, 1.0)
    colour = pixels.channels.startswith("RGB") and not pixels.is_float
    normal = check_normal_map(pyramid.smallest()) if colour else NormalMapCheck(
        False, (0.0, 0.0, 0.0), 0.0, "not 8/16-bit RGB")
    return LoadedTexture(version_id, pixels, pyramid, seam, normal, convention_from_name(name),
                         histogram(pyramid.smallest(), pixels.channels), space)


def _evidence(path: str, pixels: Pixels) -> ColourSpace:
    """The file header's word on its colour space (ICC, PNG sRGB/gAMA); floats need no look."""
    if pixels.is_float:
        return ColourSpace("linear", "float data")
    try:
        with Image.open(path) as im:  # the header only: nothing is decoded
            return file_evidence(im)
    except (OSError, ValueError, SyntaxError):
        return ColourSpace("unknown", "the header could not be read")


def seam_level(pyramid: Pyramid) -> int:
    """The largest stored level no larger than _SEAM_SIDE: level 1 is not stored, and averaging it
    from the whole texture took 4 s of an 8K load."""
    fitting = [lv for lv in pyramid.stored_levels if max(pyramid.size(lv)) <= _SEAM_SIDE]
    return fitting[0] if fitting else pyramid.top


def render_tile(pyramid: Pyramid, channels: str, level: int, tx: int, ty: int,
                settings: DisplaySettings) -> QImage:
    """Tile (tx, ty) of ``level`` as a premultiplied ARGB32 QImage (Qt's fastest to draw)."""
    w, h = pyramid.size(level)
    x0, y0 = tx * TILE, ty * TILE
    block = pyramid.block(level, x0, y0, min(w, x0 + TILE), min(h, y0 + TILE))
    return to_qimage(display_bgra(block, channels, settings))


def to_qimage(bgra) -> QImage:
    h, w = bgra.shape[:2]
    image = QImage(bgra.data, w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()  # own the pixels: the numpy buffer goes away with this frame
