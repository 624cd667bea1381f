"""Live updates: a teammate's change shows in the grid, the counts and the timeline within a second.

One listener thread follows the server's change stream (``store.stream_changes``, Server-Sent Events
on the REST face, which itself reconnects after a short blip) and hands changes to the GUI thread.
When the server is gone (the connection monitor says so) or the stream ends with an error, the
listener stops and the controller polls ``catch_up`` instead, with growing pauses (1, 2, 4 … 30 s;
at once when the monitor sees the server again); the first poll that answers starts the stream
again and polling stops: never both at once. Each batch is applied to the
server's kept copy first (store/cached ``apply_changes``: deleted textures leave it, changed ones are
fetched again), then the window reloads what it shows, keeping the selection and the scroll position.
The feed's cursor is kept with the copy, so a restarted app catches up from where it stopped.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from server_api.core.errors import VaultError
from server_api.store.cached import cached_store
from vault_desktop.connection import ConnectionMonitor
from vault_desktop.window_context import WindowContext

FIRST_POLL_S, MAX_POLL_S = 1, 30
SETTLE_MS = 150  # changes arriving together are shown together


class _Listener(threading.Thread):
    """Follows the stream until ``stop`` is set; reports to ``bridge`` (queued into the GUI thread)."""

    def __init__(self, store, since: int, bridge: _Bridge):
        super().__init__(name="vault-live", daemon=True)
        self.store, self.since, self.bridge = store, since, bridge
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            for change in self.store.stream_changes(self.since):
                if self.stop.is_set():
                    return
                if change is not None:
                    self.bridge.arrived.emit([change])
        except Exception as exc:  # noqa: BLE001 - any failure means the stream dropped
            if not self.stop.is_set():
                self.bridge.dropped.emit(exc)


class _Bridge(QObject):
    arrived = Signal(list)
    dropped = Signal(object)


class LiveController(QObject):
    applied = Signal(list)  # a batch of changes is in the kept copy; the window is reloading
    modeChanged = Signal(str)  # "stream" | "polling" | "off"

    def __init__(self, context: WindowContext, grid, monitor: ConnectionMonitor):
        super().__init__(context)
        self.context = context
        self.grid = grid
        self.mode = "off"
        self.shown_texture_id: int | None = None
        self._bridge = _Bridge(self)
        self._bridge.arrived.connect(self._arrived)
        self._bridge.dropped.connect(self._dropped)
        self._listener: _Listener | None = None
        self._batch: list = []
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._apply_batch)
        self._poll = QTimer(self, singleShot=True)
        self._poll.timeout.connect(self._poll_once)
        self._poll_delay = FIRST_POLL_S
        self._generation = 0
        self._scroll: int | None = None
        context.storeChanged.connect(self._store_changed)
        context.closing.connect(self.stop)
        monitor.wentDown.connect(lambda message: self._dropped(VaultError("unavailable", message)))
        monitor.recovered.connect(self._poll_now)

    # ---- following one store ----------------------------------------------------------------
    def _store_changed(self, store) -> None:
        self.stop()
        cached = cached_store(store)
        if cached is None:
            return
        gen = self._generation
        self.context.lanes.reads.submit(
            cached.feed_cursor, on_done=lambda cursor: self._start(gen, cursor),
            on_error=lambda exc: self._dropped(exc) if gen == self._generation else None)

    def stop(self) -> None:
        self._generation += 1
        self._poll.stop()
        self._settle.stop()
        self._batch.clear()
        if self._listener is not None:
            self._listener.stop.set()
            self._listener = None
        self._set_mode("off")

    def _start(self, gen: int, cursor: int) -> None:
        store = cached_store(self.context.store)
        if gen != self._generation or store is None:
            return
        self._poll.stop()
        self._listener = _Listener(store, cursor, self._bridge)
        self._listener.start()
        self._set_mode("stream")

    def _set_mode(self, mode: str) -> None:
        if mode != self.mode:
            self.mode = mode
            self.modeChanged.emit(mode)

    # ---- the stream dropped: poll with backoff until the server answers ------------------------
    def _dropped(self, exc: BaseException) -> None:
        if self._listener is None and self.mode == "polling":
            return
        if self._listener is not None:
            self._listener.stop.set()
            self._listener = None
        if not (isinstance(exc, VaultError) and exc.code == "unavailable"):
            self.context.report_error(exc)  # not an outage (the monitor shows those): say what it was
        self._poll_delay = FIRST_POLL_S
        self._set_mode("polling")
        self._poll.start(self._poll_delay * 1000)

    def _poll_now(self) -> None:
        if self.mode == "polling":
            self._poll.stop()
            self._poll_once()

    def _poll_once(self) -> None:
        store = cached_store(self.context.store)
        if store is None:
            return
        gen = self._generation

        def answered(changes: list) -> None:
            if gen != self._generation:
                return
            if changes:
                self._arrived(changes)
            self._start(gen, store.feed_cursor())  # it answers: back to the stream, polling stops

        def failed(_exc: BaseException) -> None:
            if gen != self._generation:
                return
            self._poll_delay = min(self._poll_delay * 2, MAX_POLL_S)
            self._poll.start(self._poll_delay * 1000)

        self.context.lanes.reads.submit(store.catch_up, on_done=answered, on_error=failed)

    # ---- applying a batch ---------------------------------------------------------------------
    def _arrived(self, changes: list) -> None:
        self._batch.extend(changes)
        if not self._settle.isActive():
            self._settle.start()

    def _apply_batch(self) -> None:
        store = cached_store(self.context.store)
        batch, self._batch = self._batch, []
        if store is None or not batch:
            return
        gen = self._generation
        self.context.lanes.reads.submit(store.apply_changes, batch,
                                        on_done=lambda _r: gen == self._generation and self._show(batch),
                                        on_error=lambda exc: self.context.report_error(exc))

    def _show(self, batch: list) -> None:
        self._scroll = self.grid.verticalScrollBar().value()
        collection = self.context.current_collection()
        if collection is not None and any(c.collection_id in (collection.id, None) for c in batch):
            self.context.refresh_textures()
        self.context.refresh_collections(collection.id if collection else None)  # the counts
        if self.shown_texture_id is not None and any(c.texture_id == self.shown_texture_id for c in batch):
            self.context.reload_texture(self.shown_texture_id)
        self.applied.emit(batch)

    def restore_scroll(self) -> None:
        """After the grid reloaded for a batch: back where the user was."""
        if self._scroll is not None:
            self.grid.verticalScrollBar().setValue(self._scroll)
            self._scroll = None

    def texture_shown(self, texture) -> None:
        self.shown_texture_id = texture.id if texture is not None else None
