"""What a comment may hold: one home for the SQL face (which enforces it) and the REST face (which
checks before sending, so a bad comment gets the same message without a round trip)."""

from __future__ import annotations

import math

from server_api.core.errors import VaultError
from server_api.store.limits import MAX_COMMENT
from server_api.store.review_entities import Region


def comment_text(text) -> str:
    """The comment's text trimmed; refused when blank, too long or holding control characters."""
    if not isinstance(text, str) or not text.strip():
        raise VaultError("invalid_argument", "a comment needs some text")
    text = text.strip()
    if len(text) > MAX_COMMENT:
        raise VaultError("invalid_argument",
                         f"a comment is at most {MAX_COMMENT} characters; this one has {len(text)}")
    if any(ord(c) < 32 and c not in "\n\t" for c in text) or "\x7f" in text:
        raise VaultError("invalid_argument", "a comment may not hold control characters")
    return text


def comment_region(region: Region | None) -> Region | None:
    """A region inside the image with some size; refused naming the part that is wrong."""
    if region is None:
        return None
    if not isinstance(region, Region):
        raise VaultError("invalid_argument", f"a region is x, y, w, h fractions, not {region!r}")
    for name in ("x", "y", "w", "h"):
        value = getattr(region, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                or not 0 <= value <= 1:
            raise VaultError("invalid_argument", f"region {name} must be a number from 0 to 1, not {value!r}")
    if region.w <= 0 or region.h <= 0:
        raise VaultError("invalid_argument", "a region needs a width and a height above 0")
    if region.x + region.w > 1 + 1e-9 or region.y + region.h > 1 + 1e-9:
        raise VaultError("invalid_argument", "a region must lie inside the image (x + w and y + h at most 1)")
    return Region(float(region.x), float(region.y), float(region.w), float(region.h))
