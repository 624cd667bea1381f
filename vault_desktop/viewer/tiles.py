"""Display tiles kept within a memory budget, and the requests that make the missing ones.

The canvas asks for the tiles it is about to paint; each missing one becomes one job on the reads
lane. Tiles no longer visible are cancelled before they start, and a change of display settings
(channel, exposure, flip green) starts a new generation whose tiles replace the old as they arrive.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from server_api.imaging.pyramid import Pyramid
from server_api.imaging.tonemap import DisplaySettings
from vault_desktop.viewer.loading import render_tile

BUDGET_BYTES = 96 << 20  # ~96 tiles of 512×512: two screens' worth at any zoom, with room to pan

Key = tuple[int, int, int]  # (level, tx, ty)


class TileStore(QObject):
    arrived = Signal()

    def __init__(self, runner, parent: QObject | None = None, budget: int = BUDGET_BYTES):
        super().__init__(parent)
        self._runner = runner
        self._budget = budget
        self._tiles: OrderedDict[Key, tuple[int, QImage]] = OrderedDict()  # key → (generation, image)
        self._bytes = 0
        self._pending: dict[Key, tuple[int, object]] = {}  # key → (generation, task handle)
        self._pyramid: Pyramid | None = None
        self._channels = "RGB"
        self._settings = DisplaySettings()
        self.generation = 0

    def reset(self, pyramid: Pyramid | None, channels: str, settings: DisplaySettings) -> None:
        """A new picture: forget every tile."""
        self._cancel_all()
        self._tiles.clear()
        self._bytes = 0
        self._pyramid, self._channels = pyramid, channels
        self.set_settings(settings)

    def set_settings(self, settings: DisplaySettings) -> None:
        """New display settings: old tiles stay drawable until the new ones replace them."""
        self._settings = settings
        self.generation += 1
        self._cancel_all()

    def tile(self, key: Key) -> QImage | None:
        """The newest image for ``key`` (possibly of older settings), marking it recently used."""
        entry = self._tiles.get(key)
        if entry is None:
            return None
        self._tiles.move_to_end(key)
        return entry[1]

    def is_fresh(self, key: Key) -> bool:
        entry = self._tiles.get(key)
        return entry is not None and entry[0] == self.generation

    def request(self, wanted: list[Key]) -> None:
        """Make sure ``wanted`` (visible now, most important first) is being rendered; cancel others."""
        if self._pyramid is None:
            return
        wanted_set = set(wanted)
        for key in [k for k in self._pending if k not in wanted_set]:
            self._pending.pop(key)[1].cancel()
        for key in wanted:
            if self.is_fresh(key) or (key in self._pending and self._pending[key][0] == self.generation):
                continue
            self._submit(key)

    def pending_count(self) -> int:
        return len(self._pending)

    def _submit(self, key: Key) -> None:
        generation, pyramid = self.generation, self._pyramid
        level, tx, ty = key

        def done(image: QImage) -> None:
            self._arrive(key, generation, pyramid, image)

        handle = self._runner.submit(render_tile, pyramid, self._channels, level, tx, ty, self._settings,
                                     on_done=done, on_error=lambda _exc: self._pending.pop(key, None))
        if key not in self._tiles or self._tiles[key][0] != generation:
            self._pending[key] = (generation, handle)

    def _arrive(self, key: Key, generation: int, pyramid: Pyramid, image: QImage) -> None:
        if self._pending.get(key, (None,))[0] == generation:
            del self._pending[key]
        if pyramid is not self._pyramid or generation != self.generation:
            return  # another picture, or settings changed while it rendered
        old = self._tiles.pop(key, None)
        if old is not None:
            self._bytes -= old[1].sizeInBytes()
        self._tiles[key] = (generation, image)
        self._bytes += image.sizeInBytes()
        while self._bytes > self._budget and len(self._tiles) > 1:
            _key, (_gen, dropped) = self._tiles.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()
        self.arrived.emit()

    def _cancel_all(self) -> None:
        for _gen, handle in self._pending.values():
            handle.cancel()
        self._pending.clear()
