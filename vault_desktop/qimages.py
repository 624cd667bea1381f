"""Pillow image → QImage, safe to run on a worker thread (QImage is reentrant; QPixmap is not)."""

from __future__ import annotations

import io

from PIL import Image, ImageOps
from PySide6.QtGui import QImage


def decode_to_qimage(data: bytes, max_side: int | None = None) -> QImage:
    """Decode encoded image bytes (any format Pillow reads) into an 8-bit RGB(A) QImage."""
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        img = ImageOps.exif_transpose(img)
        if max_side and max(img.size) > max_side:
            img = to_8bit(img)
            img.thumbnail((max_side, max_side), reducing_gap=None)
        return pil_to_qimage(img)


def to_8bit(img: Image.Image) -> Image.Image:
    """RGB or RGBA with 8 bits per channel; 16-bit greyscale is scaled, not clipped."""
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        img = img.convert("I")
    if img.mode == "I":
        img = img.point(lambda v: v * (1 / 256)).convert("L")
    if img.mode == "F":
        img = img.convert("L")
    has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    wanted = "RGBA" if has_alpha else "RGB"
    return img if img.mode == wanted else img.convert(wanted)


def pil_to_qimage(img: Image.Image) -> QImage:
    img = to_8bit(img)
    fmt = QImage.Format.Format_RGBA8888 if img.mode == "RGBA" else QImage.Format.Format_RGB888
    data = img.tobytes()
    bytes_per_line = img.width * (4 if img.mode == "RGBA" else 3)
    # copy(): the QImage must own its pixels, not borrow the Python bytes that will be freed.
    return QImage(data, img.width, img.height, bytes_per_line, fmt).copy()
