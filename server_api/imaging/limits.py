"""The pixel limit every Pillow look at an untrusted or stored file goes through.

VAULT_MAX_IMAGE_PIXELS (default 16K x 16K: 16K textures are real; a bigger one is almost surely a
bomb), taken from the settings on first use; a test may set MAX_IMAGE_PIXELS outright.
"""

from __future__ import annotations

from PIL import Image

from server_api.core.settings import settings

MAX_IMAGE_PIXELS: int | None = None


def pixel_limit() -> int:
    global MAX_IMAGE_PIXELS
    if MAX_IMAGE_PIXELS is None:
        MAX_IMAGE_PIXELS = settings().max_image_pixels
    # Pillow warns above its own limit (89 Mpx) and refuses above twice that, before we can look. Raise
    # its limit to ours so a legal 16K texture opens; the analysis enforces our limit itself, so a
    # file in Pillow's warning zone is rejected too, never decoded (the warning may still be logged).
    if Image.MAX_IMAGE_PIXELS is not None and Image.MAX_IMAGE_PIXELS < MAX_IMAGE_PIXELS:
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    return MAX_IMAGE_PIXELS
