"""Tiling seam score: does the texture's right edge continue into its left edge (and bottom into top)?

Per axis, the mean absolute difference across the wrap edge divided by the mean absolute difference
between neighbouring interior columns (rows): about 1 when the wrap looks like any other step in the
picture, 2 or more where a seam shows. Pure numpy; any dtype, values scaled to 0..1 first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VISIBLE_SEAM = 2.0  # at or above this a seam shows when the texture repeats
_SAMPLED_PAIRS = 512  # interior neighbour pairs per axis: enough for a stable mean on a 16K texture
_PAIRS_PER_CHUNK = 32
_FLAT = 1e-6  # below this the picture has no texture at all: nothing to compare a seam with


@dataclass(frozen=True)
class SeamScore:
    x: float  # left/right wrap (a vertical seam line when tiled side by side)
    y: float  # top/bottom wrap (a horizontal seam line)

    def worst(self) -> float:
        return max(self.x, self.y)


def seam_score(values: np.ndarray, full_scale: float | None = None) -> SeamScore:
    """``values``: H×W or H×W×C. ``full_scale`` divides integers (default: 255/65535 by dtype)."""
    if values.ndim == 2:
        values = values[:, :, None]
    if values.shape[0] < 3 or values.shape[1] < 3:
        raise ValueError(f"a seam score needs at least 3×3 pixels, not {values.shape[1]}×{values.shape[0]}")
    scale = full_scale or _full_scale(values.dtype)
    return SeamScore(x=_axis_score(values, 1, scale), y=_axis_score(values, 0, scale))


def _full_scale(dtype: np.dtype) -> float:
    return float(np.iinfo(dtype).max) if np.issubdtype(dtype, np.integer) else 1.0


def _axis_score(values: np.ndarray, axis: int, scale: float) -> float:
    n = values.shape[axis]
    first = np.take(values, 0, axis=axis).astype(np.float32)
    last = np.take(values, n - 1, axis=axis).astype(np.float32)
    edge = float(np.mean(np.abs(last - first))) / scale
    starts = np.unique(np.linspace(0, n - 2, min(_SAMPLED_PAIRS, n - 1)).astype(np.int64))
    total = 0.0
    for chunk in np.array_split(starts, max(1, len(starts) // _PAIRS_PER_CHUNK)):
        # a few dozen pairs per numpy call (one call per pair cost 50 ms on 512 px), a few MB at most
        step = np.take(values, chunk + 1, axis=axis).astype(np.float32) - np.take(values, chunk, axis=axis)
        total += float(np.abs(step).sum())
    interior = total / (len(starts) * first.size) / scale
    if interior < _FLAT:
        return 1.0 if edge < _FLAT else float("inf")
    return edge / interior
