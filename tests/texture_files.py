"""Generated texture files with known properties, for the imaging and viewer tests.

Seamless textures are sums of sines with whole periods across the picture (the wrap continues them
exactly); "hard edge" ones ramp across the picture (the wrap jumps from bright to dark). Normal maps
are made from a height field the way bakers do, so their vectors are unit length. EXR and HDR files
are written by OpenImageIO with the pixel type, layout and compression asked for.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import OpenImageIO as oiio
from PIL import Image


def seamless(width: int = 256, height: int = 256, seed: int = 0) -> np.ndarray:
    """H×W×3 floats 0..1 that tile without a seam."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    out = np.zeros((height, width, 3), np.float32)
    for c in range(3):
        for _ in range(4):
            fx, fy = rng.integers(1, 6, 2)
            phase = rng.random() * 6.28
            out[:, :, c] += np.sin(2 * np.pi * (fx * x / width + fy * y / height) + phase)
    out = (out - out.min()) / (out.max() - out.min())
    return out


def hard_edge(width: int = 256, height: int = 256) -> np.ndarray:
    """Left-to-right and top-to-bottom ramps plus a little texture: every wrap is a jump."""
    base = seamless(width, height, seed=3) * 0.2
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    ramp = (x / width * 0.4 + y / height * 0.4)[:, :, None]
    return np.clip(base + ramp, 0, 1)


def normal_map(width: int = 256, height: int = 256, green_down: bool = False) -> np.ndarray:
    """A tangent-space normal map (H×W×3 floats 0..1) baked from a seamless height field."""
    h = seamless(width, height, seed=5)[:, :, 0] * 6.0
    dx = (np.roll(h, -1, axis=1) - np.roll(h, 1, axis=1)) / 2
    dy = (np.roll(h, -1, axis=0) - np.roll(h, 1, axis=0)) / 2
    n = np.stack([-dx, dy if not green_down else -dy, np.ones_like(h)], axis=2)
    n /= np.linalg.norm(n, axis=2, keepdims=True)
    return n * 0.5 + 0.5


def save_png(path: Path, values: np.ndarray, bits: int = 8, alpha: np.ndarray | None = None) -> Path:
    """Floats 0..1 → an 8-bit PNG (Pillow) or a 16-bit one (OpenImageIO; Pillow cannot write 16-bit RGB)."""
    if alpha is not None:
        values = np.concatenate([values, alpha[:, :, None]], axis=2)
    if bits == 8:
        Image.fromarray((np.clip(values, 0, 1) * 255 + 0.5).astype(np.uint8)).save(path)
        return path
    ints = (np.clip(values, 0, 1) * 65535 + 0.5).astype(np.uint16)
    return _write_oiio(path, ints, "uint16")


def save_exr(path: Path, values: np.ndarray, pixel_type: str = "half", compression: str = "zip",
             tiled: bool = False) -> Path:
    """``values`` H×W (one channel, named Y) or H×W×3/4 floats → an OpenEXR file."""
    return _write_oiio(path, values.astype(np.float32), pixel_type, compression=compression, tiled=tiled)


def save_hdr(path: Path, values: np.ndarray) -> Path:
    return _write_oiio(path, values.astype(np.float32), "float")


def _write_oiio(path: Path, values: np.ndarray, pixel_type: str, compression: str | None = None,
                tiled: bool = False) -> Path:
    if values.ndim == 2:
        values = values[:, :, None]
    h, w, c = values.shape
    spec = oiio.ImageSpec(w, h, c, pixel_type)
    if c == 1:
        spec.channelnames = ("Y",)
    if compression:
        spec.attribute("compression", compression)
    if tiled:
        spec.tile_width, spec.tile_height = 64, 64
    out = oiio.ImageOutput.create(str(path))
    if out is None or not out.open(str(path), spec):
        raise OSError(f"cannot write {path}: {oiio.geterror()}")
    try:
        if not out.write_image(values):
            raise OSError(f"cannot write {path}: {out.geterror()}")
    finally:
        out.close()
    return Path(path)
