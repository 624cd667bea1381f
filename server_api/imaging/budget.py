"""The process's decode budget: how much memory all image decodes may hold at once.

A decode first reserves its estimated size (width × height × bytes per pixel, from the header,
before any pixel is decoded). Reservations that do not fit wait until others finish; one image
whose estimate alone is over the budget is refused as "too_large" with the figures. Four crafted
16384² palette PNGs uploaded at once therefore queue one behind the other instead of taking
several GB together. The limit is ``Settings.decode_budget_mb`` (VAULT_DECODE_BUDGET_MB).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from server_api.core.errors import VaultError

MIB = 1 << 20
# Bytes per pixel of each Pillow mode once decoded (what the core allocates).
_MODE_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2, "LA": 4, "La": 4,
               "PA": 4, "RGB": 4, "RGBA": 4, "RGBa": 4, "RGBX": 4, "CMYK": 4, "YCbCr": 4, "LAB": 4,
               "HSV": 4, "I": 4, "F": 4}


def decoded_bytes(width: int, height: int, mode: str) -> int:
    """What Pillow allocates to hold the whole decoded image (unknown modes: 4 bytes a pixel)."""
    return width * height * _MODE_BYTES.get(mode, 4)


class DecodeBudget:
    """A counting gate over bytes. ``limit`` None means "read it from the settings on first use"."""

    def __init__(self, limit: int | None = None):
        self._limit = limit
        self._used = 0
        self._cond = threading.Condition()

    @property
    def limit(self) -> int:
        if self._limit is None:
            from server_api.core.settings import settings

            self._limit = settings().decode_budget_bytes
        return self._limit

    def configure(self, limit: int) -> None:
        """Set the budget (entry points with their Settings, tests); waiting decodes look again."""
        if limit <= 0:
            raise VaultError("invalid_argument", "the decode budget must be above 0 bytes")
        with self._cond:
            self._limit = limit
            self._cond.notify_all()

    @property
    def in_use(self) -> int:
        return self._used

    @contextmanager
    def reserve(self, nbytes: int, label: str) -> Iterator[None]:
        """Hold ``nbytes`` of the budget for the block; wait while the others leave too little."""
        limit = self.limit
        if nbytes > limit:
            raise VaultError("too_large", f"{label}: decoding it needs about {nbytes // MIB} MiB, over the "
                             f"decode budget of {limit // MIB} MiB (VAULT_DECODE_BUDGET_MB)")
        with self._cond:
            while self._used + nbytes > self.limit:
                self._cond.wait()
            self._used += nbytes
        try:
            yield
        finally:
            with self._cond:
                self._used -= nbytes
                self._cond.notify_all()


DECODE_BUDGET = DecodeBudget()
