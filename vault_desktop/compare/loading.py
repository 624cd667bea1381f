"""Worker job for the compare view: both versions decoded, plus their difference image."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageOps
from PySide6.QtGui import QImage

from vault_desktop.qimages import pil_to_qimage, to_8bit

MAX_SIDE = 4096  # an 8K texture would be 256 MB as two RGBA images plus a difference
DIFF_GAIN = 4  # small changes (a touched-up seam) must be visible, not near-black


@dataclass(frozen=True)
class ComparePair:
    older: QImage
    newer: QImage
    difference: QImage
    same_size: bool


def _read(store, version_id: int) -> Image.Image:
    with store.open_version(version_id) as stream:
        data = stream.read()
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        img = to_8bit(ImageOps.exif_transpose(img))
    if max(img.size) > MAX_SIDE:
        img.thumbnail((MAX_SIDE, MAX_SIDE))
    return img


def load_pair(store, older_id: int, newer_id: int) -> ComparePair:
    a, b = _read(store, older_id), _read(store, newer_id)
    same = a.size == b.size
    b_fit = b if same else b.resize(a.size)
    diff = ImageChops.difference(a.convert("RGB"), b_fit.convert("RGB"))
    diff = diff.point(lambda v: min(255, v * DIFF_GAIN))
    return ComparePair(pil_to_qimage(a), pil_to_qimage(b_fit), pil_to_qimage(diff), same)
