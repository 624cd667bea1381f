"""A mip pyramid of stored values, so any zoom reads a small block instead of the whole texture.

Level n is the picture shrunk by 2**n. Level 0 is the decoded array itself; levels 2, 3, 4 … are
box-averaged copies (together 1/15 of level 0's bytes). Level 1 is not kept: its blocks are
averaged from level 0 when asked for (a 2×2 mean of one tile), which saves a third of the size of
the texture — the difference between fitting a 16K 16-bit texture in 1.5× its size or not.
"""

from __future__ import annotations

import numpy as np

SMALLEST_SIDE = 256
_STRIP = 1024  # rows averaged at a time: bounded float32 scratch, whatever the texture's size


class Pyramid:
    def __init__(self, full: np.ndarray):
        if full.ndim != 3:
            raise ValueError(f"the pyramid wants H×W×C values, not shape {full.shape}")
        self._stored: dict[int, np.ndarray] = {0: full}
        level, current = 0, full
        while max(current.shape[:2]) > SMALLEST_SIDE:
            step = 4 if level == 0 else 2
            current = shrink(current, step)
            level += 2 if level == 0 else 1
            self._stored[level] = current

    @property
    def full(self) -> np.ndarray:
        return self._stored[0]

    @property
    def top(self) -> int:
        """The smallest level (whose longest side is at most SMALLEST_SIDE, or 0 for a small picture)."""
        return max(self._stored)

    @property
    def extra_bytes(self) -> int:
        return sum(a.nbytes for level, a in self._stored.items() if level)

    def size(self, level: int) -> tuple[int, int]:
        """(width, height) of ``level``."""
        h, w = self.full.shape[:2]
        return max(1, w >> level), max(1, h >> level)

    @property
    def stored_levels(self) -> tuple[int, ...]:
        """Levels kept as arrays (reading them averages nothing): 0, 2, 3, 4 …"""
        return tuple(sorted(self._stored))

    def smallest(self) -> np.ndarray:
        return self._stored[self.top]

    def block(self, level: int, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
        """Values of ``level`` in [x0, x1) × [y0, y1) (level pixels), averaged from the nearest
        finer stored level when this one is not kept."""
        level = max(0, min(level, self.top))
        source = max(k for k in self._stored if k <= level)
        k = 1 << (level - source)
        data = self._stored[source]
        region = data[y0 * k:y1 * k, x0 * k:x1 * k]
        return region if k == 1 else shrink(region, k)


def shrink(values: np.ndarray, k: int) -> np.ndarray:
    """Box-average k×k blocks (edges that do not fill a block are dropped, as in a mip chain).
    A power of two is halved log2(k) times strip by strip: strided adds in a wider integer type are
    ~2.5× faster than a float mean over a reshaped strip (an 8K RGB level 2: 0.7 s instead of 1.8 s)
    and never hold a full-size intermediate level (384 MB of a 16K 16-bit texture)."""
    h, w = values.shape[0] // k, values.shape[1] // k
    h, w = max(h, 1), max(w, 1)
    if values.shape[0] < k or values.shape[1] < k:
        return values[:h, :w].copy()
    out = np.empty((h, w, values.shape[2]), values.dtype)
    rows = max(1, _STRIP // k)
    for y in range(0, h, rows):
        end = min(h, y + rows)
        if k & (k - 1) == 0:  # summed within the strip: no full-size intermediate level
            out[y:end] = _power_of_two_mean(values[y * k:end * k, :w * k], k)
            continue
        part = values[y * k:end * k, :w * k].astype(np.float32)
        mean = part.reshape(end - y, k, w, k, values.shape[2]).mean(axis=(1, 3))
        if np.issubdtype(values.dtype, np.integer):
            mean += 0.5
        out[y:end] = mean
    return out


def _power_of_two_mean(part: np.ndarray, k: int) -> np.ndarray:
    """k×k block means of ``part`` (its sides multiples of k): 2×2 sums repeated in a type wide
    enough for k² values, rounded once at the end (integers) or scaled (floats)."""
    if np.issubdtype(part.dtype, np.integer):
        bits = np.iinfo(part.dtype).bits + 2 * (k.bit_length() - 1)
        wide = np.uint16 if bits <= 16 else np.uint32 if bits <= 32 else np.uint64
    else:
        wide = np.float32
    total, step = part, 1
    while step < k:
        total = _sum_2x2(total, wide)
        step *= 2
    if wide is np.float32:
        total *= np.float32(1.0 / (k * k))
    else:
        total += (k * k) // 2
        total >>= 2 * (k.bit_length() - 1)
    return total.astype(part.dtype, copy=False)


def _sum_2x2(values: np.ndarray, wide) -> np.ndarray:
    total = values[0::2, 0::2].astype(wide)
    total += values[1::2, 0::2]
    total += values[0::2, 1::2]
    total += values[1::2, 1::2]
    return total
