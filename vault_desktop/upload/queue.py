"""The upload queue's engine: feeds files through the reads lane (prepare) and the writes lane
(write), keeps the model current on a timer, and answers cancel and retry.

At most ``read_slots`` prepare jobs and one write job are submitted at a time, so a drop of
thousands of files never floods the shared lanes (the grid's thumbnails keep their turn).
Workers only touch a ProgressBoard; the GUI thread applies it every ``flush_ms``, with one
dataChanged per tick.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from server_api.store.base import VaultStore

from . import steps
from .queue_model import UploadQueueModel
from .rows import CANCELLED, DONE, NEW_VERSION, RETRYABLE, UNCHANGED, WAITING, UploadRow, failure


@dataclass(frozen=True)
class QueueStats:
    files: int
    finished: int
    failed: int  # rejected or failed: they need the user's attention
    retryable: int  # failed, rejected or cancelled
    bytes_total: int
    bytes_done: float
    bytes_per_second: float
    files_per_second: float
    seconds_left: float | None  # None until the rate is known

    @property
    def fraction(self) -> float:
        return self.bytes_done / self.bytes_total if self.bytes_total else 1.0


class UploadQueue(QObject):
    statsChanged = Signal(object)  # QueueStats, at most once per flush tick
    texturesWritten = Signal(int)  # a collection id that got new textures or versions
    idle = Signal()  # nothing left to do

    def __init__(self, lanes, parent=None, *, read_slots: int | None = None, flush_ms: int = 100):
        super().__init__(parent)
        self.model = UploadQueueModel(self)
        self.store: VaultStore | None = None
        self._lanes = lanes
        self._read_slots = read_slots or max(2, os.cpu_count() or 2)
        self._board = steps.ProgressBoard()
        self._keys = count(1)
        self._to_prepare: deque[int] = deque()
        self._to_write: deque[int] = deque()
        self._reading = 0
        self._writing = False
        self._dirty: set[int] = set()
        self._written_to: set[int] = set()
        self._samples: deque[tuple[float, float, int]] = deque(maxlen=40)  # (time, bytes, files)
        self._timer = QTimer(self)
        self._timer.setInterval(flush_ms)
        self._timer.timeout.connect(self._flush)

    # ---- what the pane and the window call --------------------------------------------------
    def set_store(self, store: VaultStore | None) -> None:
        """A new vault: work meant for the old one stops (it can no longer be written there)."""
        if store is self.store:
            return
        self.cancel([r.key for r in self.model.rows() if not r.finished], reason="vault closed")
        self.store = store

    def add_files(self, paths: list[str], collection_id: int) -> int:
        if self.store is None:
            return 0
        rows = []
        for path in paths:
            try:
                size = os.path.getsize(path)
            except OSError:
                size = 0  # the prepare job reports why it cannot be read
            rows.append(UploadRow(next(self._keys), path, Path(path).name, size, self.store,
                                  collection_id))
        self.model.append(rows)
        self._to_prepare.extend(r.key for r in rows)
        self._pump()
        return len(rows)

    def retarget(self, collection_id: int) -> int:
        """Point every row not yet written at another collection; its plan is looked up again."""
        moved = 0
        for row in self.model.rows():
            if row.finished or row.collection_id == collection_id or (row.busy and row.plan):
                continue
            row.collection_id = collection_id
            moved += 1
            if row.plan is not None:  # prepared for the old target: prepare again for the new one
                row.plan = None
                self._to_write.remove(row.key)
                self._restart(row)
        self._pump()
        return moved

    def cancel(self, keys: list[int], reason: str = "") -> None:
        for key in keys:
            row = self.model.row_for_key(key)
            if row is None or row.finished:
                continue
            row.cancel.set()  # a running job stops at its next check and reports back
            if not row.busy:
                self._discard(key)
                self._finish(row, CANCELLED, reason)
        self._pump()

    def cancel_all(self) -> None:
        self.cancel([r.key for r in self.model.rows()])

    def retry(self, keys: list[int] | None = None) -> int:
        """Queue again the rejected, failed or cancelled rows (all of them when keys is None)."""
        rows = self.model.rows() if keys is None else [self.model.row_for_key(k) for k in keys]
        again = [r for r in rows if r is not None and r.state in RETRYABLE and r.store is self.store]
        for row in again:
            self._restart(row)
        self._pump()
        return len(again)

    def pending_count(self) -> int:
        return sum(1 for r in self.model.rows() if not r.finished)

    def stats(self) -> QueueStats:
        rows = self.model.rows()
        total = sum(r.size for r in rows)
        done = sum(r.size * (1.0 if r.finished else r.fraction) for r in rows)
        finished = sum(1 for r in rows if r.finished)
        retryable = sum(1 for r in rows if r.state in RETRYABLE)
        failed = retryable - sum(1 for r in rows if r.state == CANCELLED)
        now = time.monotonic()
        self._samples.append((now, done, finished))
        while len(self._samples) > 2 and now - self._samples[0][0] > 3.0:
            self._samples.popleft()  # a 3 s window: recent speed, not the whole batch's average
        t0, b0, f0 = self._samples[0]
        span = now - t0
        bps = (done - b0) / span if span > 0.2 else 0.0
        fps = (finished - f0) / span if span > 0.2 else 0.0
        left = (total - done) / bps if bps > 0 else None
        return QueueStats(len(rows), finished, failed, retryable, total, done, bps, fps, left)

    # ---- the pipeline -----------------------------------------------------------------------
    def _restart(self, row: UploadRow) -> None:
        row.state, row.fraction, row.reason = WAITING, 0.0, ""
        row.plan = row.texture_id = row.version = None
        row.cancel = threading.Event()
        self._dirty.add(row.key)
        self._to_prepare.append(row.key)

    def _discard(self, key: int) -> None:
        for waiting in (self._to_prepare, self._to_write):
            if key in waiting:
                waiting.remove(key)

    def _pump(self) -> None:
        while self._reading < self._read_slots and self._to_prepare:
            row = self.model.row_for_key(self._to_prepare.popleft())
            if row is None or row.finished:
                continue
            row.busy = True
            self._reading += 1
            self._lanes.reads.submit(
                steps.prepare, row.store, row.collection_id, row.path, row.key, self._board,
                row.cancel.is_set,
                on_done=lambda value, r=row, c=row.collection_id: self._prepared(r, value, c),
                on_error=lambda exc, r=row: self._prepare_failed(r, exc))
        while not self._writing and self._to_write:
            row = self.model.row_for_key(self._to_write.popleft())
            if row is None or row.finished:
                continue
            row.busy = True
            self._writing = True
            self._lanes.writes.submit(
                steps.write, row.store, row.collection_id, row.path, row.sha256, row.upload_key(),
                row.key, self._board, row.cancel.is_set,
                on_done=lambda value, r=row: self._written(r, value),
                on_error=lambda exc, r=row: self._write_failed(r, exc))
        if self.pending_count():
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._flush()

    def _prepared(self, row: UploadRow, result: steps.Prepared, planned_for: int) -> None:
        self._reading -= 1
        row.busy = False
        if row.cancel.is_set():
            self._finish(row, CANCELLED)
        elif planned_for != row.collection_id:  # retargeted while it was being read
            self._restart(row)
        else:
            row.info, row.sha256, row.size = result.info, result.sha256, result.size
            row.thumbnail, row.plan = result.thumbnail, result.plan
            if result.plan.action == "unchanged":
                row.texture_id, row.version = result.plan.texture_id, result.plan.next_version
                self._finish(row, UNCHANGED)
            else:
                row.state, row.fraction = WAITING, max(row.fraction, 0.45)
                self._to_write.append(row.key)
        self._dirty.add(row.key)
        self._pump()

    def _prepare_failed(self, row: UploadRow, exc: BaseException) -> None:
        self._reading -= 1
        row.busy = False
        self._finish(row, *self._why(exc))
        self._pump()

    def _written(self, row: UploadRow, result: steps.Written) -> None:
        self._writing = False
        row.busy = False
        row.texture_id, row.version, row.plan = result.texture_id, result.version, result.plan
        if result.action == "unchanged":
            self._finish(row, UNCHANGED)
        else:
            # Written even if a cancel came too late to stop it: say what really happened.
            self._written_to.add(row.collection_id)
            self._finish(row, NEW_VERSION if result.action == "version" else DONE)
        self._pump()

    def _write_failed(self, row: UploadRow, exc: BaseException) -> None:
        self._writing = False
        row.busy = False
        self._finish(row, *self._why(exc))
        self._pump()

    @staticmethod
    def _why(exc: BaseException) -> tuple[str, str]:
        return (CANCELLED, "") if isinstance(exc, steps.UploadCancelled) else failure(exc)

    def _finish(self, row: UploadRow, state: str, reason: str = "") -> None:
        row.state, row.reason = state, reason
        if state in (DONE, NEW_VERSION, UNCHANGED):
            row.fraction = 1.0
        self._dirty.add(row.key)

    def _flush(self) -> None:
        """Apply workers' progress and every change since the last tick, in one dataChanged."""
        for key, (state, fraction) in self._board.take().items():
            row = self.model.row_for_key(key)
            if row is not None and row.busy and not row.cancel.is_set():
                row.state, row.fraction = state, fraction
                self._dirty.add(key)
        if self._dirty:
            self.model.rows_changed(self._dirty)
            self._dirty = set()
        for collection_id in self._written_to:
            self.texturesWritten.emit(collection_id)
        self._written_to.clear()
        self.statsChanged.emit(self.stats())
        if not self.pending_count():
            self._timer.stop()
            self.idle.emit()
