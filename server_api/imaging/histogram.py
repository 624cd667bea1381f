"""Per-channel histograms of stored values (for the viewer and the CLI). Pure numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BINS = 256
_SAMPLE_SIDE = 1024  # a strided sample this size gives the same shape as every pixel, far faster


@dataclass(frozen=True)
class Histogram:
    channels: str  # one letter per channel, e.g. "RGBA" or "L"
    low: float  # value at the left edge of the first bin (stored units)
    high: float  # value at the right edge of the last bin
    counts: tuple[tuple[int, ...], ...]  # one tuple of BINS counts per channel


def histogram(values: np.ndarray, channels: str) -> Histogram:
    """Integers bin over their full range (0..255, 0..65535); floats over 0..max(1, brightest)."""
    if values.ndim == 2:
        values = values[:, :, None]
    if values.shape[2] != len(channels):
        raise ValueError(f"{values.shape[2]} channels in the pixels but {len(channels)} names ({channels!r})")
    step = max(1, max(values.shape[:2]) // _SAMPLE_SIDE)
    sample = values[::step, ::step]
    if np.issubdtype(values.dtype, np.integer):
        low, high = 0.0, float(np.iinfo(values.dtype).max) + 1
    else:
        finite = sample[np.isfinite(sample)]
        low = min(0.0, float(finite.min())) if finite.size else 0.0
        high = max(1.0, float(finite.max())) if finite.size else 1.0
    counts = tuple(
        tuple(int(n) for n in np.histogram(sample[:, :, i], bins=BINS, range=(low, high))[0])
        for i in range(values.shape[2])
    )
    return Histogram(channels, low, high, counts)
