"""Varied pictures and edited copies of them, drawn by Pillow, for similar-image tests and benches.

``picture(seed)`` is one of four kinds (soft noise, a gradient, shapes, stripes) with seeded colours;
``EDITS`` are what people do to a texture and still call it the same picture: resized, re-encoded as
JPEG q=70, brightened 20 %, cropped 10 %.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance

SIDE = 256


def picture(seed: int, side: int = SIDE) -> Image.Image:
    rnd = random.Random(seed)
    kind = seed % 4
    if kind == 0:  # soft noise: a small random grid scaled up smoothly
        cells = rnd.choice((4, 6, 8, 12))
        small = Image.new("RGB", (cells, cells))
        small.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(cells * cells)])
        return small.resize((side, side), Image.Resampling.BICUBIC)
    if kind == 1:  # a two-colour gradient along a random direction, corner to corner
        angle = rnd.uniform(0, 2 * math.pi)
        dx, dy = math.cos(angle), math.sin(angle)
        ramp = np.add.outer(np.arange(side) * dy, np.arange(side) * dx)
        ramp = (ramp - ramp.min()) / max(1e-9, np.ptp(ramp))
        mask = Image.fromarray((ramp * 255).astype(np.uint8), "L")
        return Image.composite(Image.new("RGB", (side, side), _colour(rnd)),
                               Image.new("RGB", (side, side), _colour(rnd)), mask)
    im = Image.new("RGB", (side, side), _colour(rnd))
    draw = ImageDraw.Draw(im)
    if kind == 2:  # shapes
        for _ in range(rnd.randrange(3, 8)):
            x, y = rnd.randrange(side), rnd.randrange(side)
            w, h = rnd.randrange(side // 8, side // 2), rnd.randrange(side // 8, side // 2)
            shape = draw.ellipse if rnd.random() < 0.5 else draw.rectangle
            shape((x - w // 2, y - h // 2, x + w // 2, y + h // 2), fill=_colour(rnd))
        return im
    step = rnd.randrange(side // 16, side // 4)  # stripes, at an angle
    for x in range(-side, 2 * side, 2 * step):
        draw.rectangle((x, -side, x + step, 2 * side), fill=_colour(rnd))
    return im.rotate(rnd.choice((0, 30, 45, 60, 90)), fillcolor=_colour(rnd))


def _colour(rnd: random.Random) -> tuple[int, int, int]:
    return tuple(rnd.randrange(256) for _ in range(3))


def _resized(im: Image.Image) -> Image.Image:
    return im.resize((im.width * 3 // 5, im.height * 3 // 5), Image.Resampling.LANCZOS)


def _jpeg70(im: Image.Image) -> Image.Image:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=70)
    return Image.open(io.BytesIO(out.getvalue()))


def _brightened(im: Image.Image) -> Image.Image:
    return ImageEnhance.Brightness(im).enhance(1.2)


def _cropped(im: Image.Image) -> Image.Image:
    dx, dy = im.width // 20, im.height // 20  # 10 % of each side: 5 % off each edge
    return im.crop((dx, dy, im.width - dx, im.height - dy))


EDITS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "resized": _resized, "jpeg70": _jpeg70, "brightened": _brightened, "cropped": _cropped,
}


def write(im: Image.Image, path: Path) -> Path:
    if path.suffix == ".jpg":
        im.save(path, "JPEG", quality=70)
    else:
        im.save(path, "PNG")
    return path
