"""What a version's pixels say for the QA rules: unused alpha, normal-map validity, seam score.

Read from the stored bytes, decoded within the process's decode budget, only when a collection has a
rule that needs pixels. Alpha is judged on every pixel; the normal-map and seam checks on a copy
box-reduced to at most FACTS_SIDE px (JPEGs decode at that scale through ``draft``). The reduced
copy stays in memory: the stored thumbnail is no substitute, its JPEG blocks put a step at the wrap
edge of a perfectly seamless texture (a seam score of 2.4 measured on one that scores 1.2 here).
EXR/HDR (not Pillow's) and files over the budget give no facts: their pixel rules are not checked.
At import the facts come from the decode that makes the thumbnail (``facts_and_thumbnail``, called by
imaging/analysis.py:analyze_with_facts): one decode per file, not two.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from PIL import Image, UnidentifiedImageError

from server_api.core.errors import VaultError
from server_api.imaging.budget import DECODE_BUDGET, decoded_bytes
from server_api.imaging.normals import NormalMapCheck, check_normal_map
from server_api.imaging.seams import SeamScore, seam_score
from server_api.imaging.thumbnails import Thumbnail, render_thumbnail

log = logging.getLogger(__name__)

FACTS_SIDE = 512


@dataclass(frozen=True)
class PixelFacts:
    alpha_used: bool  # some pixel is not fully opaque
    normal: NormalMapCheck  # a greyscale picture is no normal map (its vectors are not blue)
    seam: SeamScore | None  # None below 3x3 pixels


def facts_of_stream(stream: BinaryIO, label: str) -> PixelFacts | None:
    """The facts of an image file's bytes; None when Pillow cannot read it or it is over the budget."""
    try:
        with Image.open(stream) as im:
            with DECODE_BUDGET.reserve(working_bytes(im.width, im.height, im.mode), label):
                _decode(im)
                return facts_of_picture(im)
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    except VaultError:  # over the decode budget: this file's pixel rules are not checked
        return None


def facts_and_thumbnail(im: Image.Image, *, max_side: int, orientation: int | None, label: str
                        ) -> tuple[PixelFacts | None, Thumbnail]:
    """ONE decode of ``im`` (opened, not loaded; the caller holds ``working_bytes`` of the budget)
    gives both the facts and the thumbnail. A JPEG decodes at the facts' scale (``draft`` to 512 px,
    as ``facts_of_stream`` does), which the thumbnail then shrinks from."""
    _decode(im)  # a damaged pixel stream raises here: the caller's verdict on the file
    try:
        facts = facts_of_picture(im)
    except Exception:  # noqa: BLE001  (the pixels decoded: a failure here is ours, not the file's)
        log.warning("%s: no pixel facts for the QA rules (a bug in Texture Vault?)", label, exc_info=True)
        facts = None
    return facts, render_thumbnail(im, max_side=max_side, orientation=orientation)


def working_bytes(width: int, height: int, mode: str) -> int:
    """What deriving the facts holds at its peak: the decoded image, plus its full-size RGB copy
    (4 bytes a pixel in Pillow), plus an RGBA copy first for palette images (a 1-byte P pixel
    becomes 4 + 4), or a float copy of 16-bit greyscale."""
    pixels = width * height
    extra = 4 * pixels
    if mode in ("P", "PA"):
        extra += 4 * pixels
    elif mode.startswith("I;16"):
        extra += 2 * pixels
    return decoded_bytes(width, height, mode) + extra


def _decode(im: Image.Image) -> None:
    if im.format in ("JPEG", "MPO"):
        im.draft("RGB", (FACTS_SIDE, FACTS_SIDE))
    im.load()


def facts_of_picture(im: Image.Image) -> PixelFacts:
    """The facts of a decoded Pillow image of any mode."""
    if im.mode == "P" or im.mode == "PA":
        im = im.convert("RGBA")
    alpha_used = "A" in im.getbands() and im.getchannel("A").getextrema()[0] < 255
    rgb = _small_rgb(im)
    seam = seam_score(rgb) if min(rgb.shape[:2]) >= 3 else None
    return PixelFacts(alpha_used=bool(alpha_used), normal=check_normal_map(rgb), seam=seam)


def _small_rgb(im: Image.Image) -> np.ndarray:
    """H×W×3 values at most FACTS_SIDE px on a side (box-reduced: averaging keeps a seamless wrap)."""
    factor = max(1, -(-max(im.size) // FACTS_SIDE))
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        values = np.asarray(im.reduce(factor) if factor > 1 and im.mode in ("I", "F") else im,
                            dtype=np.float32)
        if factor > 1 and im.mode.startswith("I;16"):
            values = values[::factor, ::factor]
        top = 65535.0 if im.mode.startswith("I;16") or values.max() > 255 else 255.0
        grey = np.clip(values / top, 0, 1)
        return np.repeat(grey[:, :, None], 3, axis=2)
    rgb = im.convert("RGB")
    if factor > 1:
        rgb = rgb.reduce(factor)
    return np.asarray(rgb)
