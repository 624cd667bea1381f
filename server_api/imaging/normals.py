"""Is this a tangent-space normal map, and which convention (OpenGL / DirectX) does its name say?

Pixels show that a map IS a normal map (mean near (0.5, 0.5, 1.0), blue dominant, decoded vectors
near unit length); only the name can tell OpenGL (green up) from DirectX (green down) reliably
(see TEXTURE_CONVENTIONS.md). Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

Convention = Literal["opengl", "directx"]
_SAMPLE_SIDE = 512
_MEAN_XY_TOLERANCE = 0.1  # mean red/green within 0.5 ± this
_MIN_MEAN_BLUE = 0.75
_UNIT_TOLERANCE = 0.15  # |length - 1| of a decoded vector; 8-bit rounding alone stays under 0.01
_MIN_SHARE = 0.9  # share of pixels that must be blue-dominant and near unit length

_OPENGL_TOKENS = {"gl", "opengl", "normalgl", "ogl"}
_DIRECTX_TOKENS = {"dx", "directx", "normaldx", "d3d"}


@dataclass(frozen=True)
class NormalMapCheck:
    is_normal_map: bool
    mean: tuple[float, float, float]  # mean RGB, 0..1
    unit_share: float  # share of pixels whose decoded vector has length 1 ± 0.15
    reason: str  # why it is, or is not, taken for a normal map


def check_normal_map(rgb: np.ndarray, full_scale: float | None = None) -> NormalMapCheck:
    """``rgb``: H×W×3 (or more channels; the first three are used), any dtype."""
    if rgb.ndim != 3 or rgb.shape[2] < 3:
        return NormalMapCheck(False, (0.0, 0.0, 0.0), 0.0, "not an RGB image")
    scale = full_scale or (float(np.iinfo(rgb.dtype).max) if np.issubdtype(rgb.dtype, np.integer) else 1.0)
    step = max(1, max(rgb.shape[:2]) // _SAMPLE_SIDE)
    c = rgb[::step, ::step, :3].astype(np.float32).reshape(-1, 3) / scale
    mean = tuple(float(v) for v in c.mean(axis=0))
    vectors = c * 2.0 - 1.0
    length = np.sqrt((vectors * vectors).sum(axis=1))
    unit_share = float(np.mean(np.abs(length - 1.0) <= _UNIT_TOLERANCE))
    blue_share = float(np.mean((c[:, 2] >= c[:, 0]) & (c[:, 2] >= c[:, 1])))
    if abs(mean[0] - 0.5) > _MEAN_XY_TOLERANCE or abs(mean[1] - 0.5) > _MEAN_XY_TOLERANCE:
        return NormalMapCheck(False, mean, unit_share,
                              f"mean red/green {mean[0]:.2f}/{mean[1]:.2f}, not near 0.5")
    if mean[2] < _MIN_MEAN_BLUE or blue_share < _MIN_SHARE:
        return NormalMapCheck(False, mean, unit_share, f"blue is not dominant (mean {mean[2]:.2f})")
    if unit_share < _MIN_SHARE:
        return NormalMapCheck(False, mean, unit_share,
                              f"only {unit_share:.0%} of the vectors are near unit length")
    return NormalMapCheck(True, mean, unit_share, f"{unit_share:.0%} of the vectors are unit length")


def name_tokens(name: str) -> list[str]:
    """Node Wrangler's split: extension dropped, camelCase split, lower case, split on _ . - # space."""
    stem = re.sub(r"\.[A-Za-z0-9]{2,5}$", "", name)
    stem = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem).lower()
    return [t for t in re.split(r"[_.\-#\s\d]+", stem) if t]


def convention_from_name(name: str) -> Convention | None:
    """OpenGL or DirectX from `gl`/`dx` tokens (nor_gl, NormalDX, normal-directx …); None if unsaid."""
    tokens = set(name_tokens(name))
    if tokens & _DIRECTX_TOKENS:
        return "directx"
    if tokens & _OPENGL_TOKENS:
        return "opengl"
    return None
