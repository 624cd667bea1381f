"""What the imaging layer reports about one file's bytes (stores keep it with each version)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads with the first import, not with the store
    from server_api.imaging.fingerprint import Fingerprint


@dataclass(frozen=True)
class ImageInfo:
    """What Pillow's probe tells about one file's bytes."""

    format: str  # Pillow format name: PNG, JPEG, TIFF, TGA, DDS, WEBP, PSD, BMP, GIF
    width: int
    height: int
    mode: str  # Pillow mode: RGB, RGBA, L, I;16, P ...
    bit_depth: int  # true bits per channel (16 for a 16-bit PNG/TIFF even when mode says RGB)
    has_alpha: bool
    has_icc: bool
    orientation: int | None  # EXIF orientation 1..8, None when absent
    colour_space: str = "unknown"  # the file's own word (imaging/colour.py): srgb | linear | unknown
    # perceptual hash + palette (imaging/fingerprint.py) from analyze(); None when not computed here.
    # Derived from the pixels, not the header: left out of ==, so analyze() and probe() agree.
    fingerprint: Fingerprint | None = field(default=None, compare=False)
