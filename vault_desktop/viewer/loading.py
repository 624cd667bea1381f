"""Worker jobs of the viewer: decode a version into a pyramid (workflows/version_pixels.py: seam
score, colour space) plus its normal-map check and histogram, and render one display tile. Plain
values in and out; no widget is touched."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QImage

from server_api.imaging.colour import ColourSpace
from server_api.imaging.histogram import Histogram, histogram
from server_api.imaging.normals import Convention, NormalMapCheck, check_normal_map, convention_from_name
from server_api.imaging.pixels import Pixels
from server_api.imaging.pyramid import Pyramid
from server_api.imaging.seams import SeamScore
from server_api.imaging.tonemap import DisplaySettings, display_bgra
from server_api.workflows.version_pixels import measure_version

TILE = 512  # display pixels per tile side, at every level


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
    measured = measure_version(store, version_id, name, max_bytes)
    pixels, pyramid = measured.pixels, measured.pyramid
    colour = pixels.channels.startswith("RGB") and not pixels.is_float
    normal = check_normal_map(pyramid.smallest()) if colour else NormalMapCheck(
        False, (0.0, 0.0, 0.0), 0.0, "not 8/16-bit RGB")
    return LoadedTexture(version_id, pixels, pyramid, measured.seam, normal, convention_from_name(name),
                         histogram(pyramid.smallest(), pixels.channels), measured.colour)


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
