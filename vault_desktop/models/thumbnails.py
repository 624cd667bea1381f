"""Thumbnails for the grid and the timeline: decoded off the GUI thread into a bounded LRU cache.

``pixmap(version_id)`` answers at once: the cached pixmap, or None after queueing a request.
Requests are served newest first and only the newest ``MAX_QUEUED`` are kept, so when the user
flies through 100,000 textures the rows that already scrolled away are never decoded.

``set_side(512)`` (grid tiles above 256 px) asks for the store's larger preview instead; until it
arrives the 256 px thumbnail stands in. Both sizes share the one byte budget.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPixmap

from server_api.core.errors import VaultError
from server_api.imaging.thumbnails import PREVIEW_SIDE, THUMB_SIDE
from vault_desktop.qimages import decode_to_qimage

MAX_QUEUED = 256
MAX_IN_FLIGHT = 4
# a 256 px RGB32 pixmap is 256 KiB: 256 of them, a full screen of tiles at 64 px (or 64 previews
# of 512 px: two screens of 384 px tiles)
DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024
FLUSH_MS = 16

Key = tuple[int, int]  # (version id, side)


def load_thumbnail(store, version_id: int, side: int = THUMB_SIDE):
    """Worker job: the store's encoded thumbnail (or larger preview), decoded into a QImage."""
    return decode_to_qimage(store.version_thumbnail(version_id, side), max_side=side)


class ThumbnailCache(QObject):
    ready = Signal(int)  # version id whose pixmap is now cached

    def __init__(self, runner, budget_bytes: int = DEFAULT_BUDGET_BYTES,
                 on_error: Callable[[BaseException], None] | None = None, parent=None):
        super().__init__(parent)
        self._runner = runner
        self._budget = budget_bytes
        self._on_error = on_error
        self._store = None
        self._generation = 0
        self._side = THUMB_SIDE
        self._cache: OrderedDict[Key, QPixmap] = OrderedDict()
        self._bytes = 0
        self._queue: deque[Key] = deque(maxlen=MAX_QUEUED)
        self._queued: set[Key] = set()
        self._in_flight: set[Key] = set()
        self._failed: set[Key] = set()
        self._paused = False
        # Thumbnails arrive in bursts; announcing them once per frame keeps repaints to one a frame.
        self._arrived_batch: list[int] = []
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self._emit_arrived)

    def set_store(self, store) -> None:
        """A new store: forget everything (version ids belong to one store)."""
        self._store = store
        self._generation += 1
        self._cache.clear()
        self._bytes = 0
        self._queue.clear()
        self._queued.clear()
        self._in_flight.clear()
        self._failed.clear()
        self._paused = False
        self._arrived_batch = []

    def set_paused(self, paused: bool) -> None:
        """While the server is unreachable, keep requests queued instead of failing them."""
        self._paused = paused
        if not paused:
            self._pump()

    def set_side(self, side: int) -> None:
        """Tiles up to 256 px use thumbnails; bigger ones the 512 px preview."""
        self._side = PREVIEW_SIDE if side > THUMB_SIDE else THUMB_SIDE

    @property
    def side(self) -> int:
        return self._side

    def pixmap(self, version_id: int) -> QPixmap | None:
        key = (version_id, self._side)
        pix = self._cache.get(key)
        if pix is not None:
            self._cache.move_to_end(key)
            return pix
        if key not in self._failed:
            self.request(version_id)
        if self._side != THUMB_SIDE:  # the small one stands in until the preview is here
            return self._cache.get((version_id, THUMB_SIDE))
        return None

    def failed(self, version_id: int) -> bool:
        return (version_id, self._side) in self._failed

    def request(self, version_id: int) -> None:
        key = (version_id, self._side)
        if self._store is None or key in self._failed or key in self._in_flight:
            return
        self._enqueue(key)
        self._pump()

    def _enqueue(self, key: Key) -> None:
        if key in self._queued:
            self._queue.remove(key)  # re-asked: move to the front
        elif len(self._queue) == self._queue.maxlen:
            self._queued.discard(self._queue[0])  # the oldest request falls off the deque
        self._queue.append(key)
        self._queued.add(key)

    def cached_count(self) -> int:
        return len(self._cache)

    def cached_bytes(self) -> int:
        return self._bytes

    def _pump(self) -> None:
        while self._queue and len(self._in_flight) < MAX_IN_FLIGHT and not self._paused:
            key = self._queue.pop()  # newest first: what the user looks at now
            self._queued.discard(key)
            self._in_flight.add(key)
            gen = self._generation
            self._runner.submit(
                load_thumbnail, self._store, *key,
                on_done=lambda img, k=key, g=gen: self._arrived(g, k, img),
                on_error=lambda exc, k=key, g=gen: self._broke(g, k, exc),
            )

    def _arrived(self, gen: int, key: Key, image) -> None:
        if gen != self._generation:
            return
        self._in_flight.discard(key)
        pix = QPixmap.fromImage(image)
        self._cache[key] = pix
        self._bytes += _cost(pix)
        while self._bytes > self._budget and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._bytes -= _cost(old)
        self._arrived_batch.append(key[0])
        if not self._flush.isActive():
            self._flush.start()
        self._pump()

    def _emit_arrived(self) -> None:
        batch, self._arrived_batch = self._arrived_batch, []
        for version_id in batch:
            self.ready.emit(version_id)

    def _broke(self, gen: int, key: Key, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self._in_flight.discard(key)
        if isinstance(exc, VaultError) and exc.code == "unavailable":
            self._paused = True  # the connection monitor unpauses when the server is back
            self._enqueue(key)  # asked again then
        else:
            self._failed.add(key)  # a broken image: draw the "no preview" tile, do not retry
            self.ready.emit(key[0])
        if self._on_error is not None:
            self._on_error(exc)
        self._pump()


def _cost(pix: QPixmap) -> int:
    return pix.width() * pix.height() * max(1, pix.depth() // 8)
