"""The upload queue's engine: feeds files through the reads lane (prepare) and the writes lane
(write), keeps the model current on a timer, and answers cancel and retry.

At most ``read_slots`` prepare jobs and one write job are submitted at a time, so a drop of
thousands of files never floods the shared lanes (the grid's thumbnails keep their turn). A write
job carries the small prepared files in order as ONE batch (steps.write_many: the pipeline `vault
import` uses, one request to a server); a big file is streamed alone with its progress.
Workers only touch a ProgressBoard; the GUI thread applies it every ``flush_ms``, with one
dataChanged per tick. Every change to a row's state, progress or size goes through the Tally.
"""

from __future__ import annotations

import heapq
import os
import threading
from collections import deque
from itertools import count
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from server_api.core.errors import HTTP_STATUS, VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import ImportResult
from server_api.store.import_items import MAX_BATCH_BYTES, MAX_BATCH_FILES, MAX_BATCHED_FILE
from server_api.workflows.folder_tags import apply_folder_tags, folder_tags
from server_api.workflows.material_import import group_imported
from vault_desktop.tasks import OwnedJobs

from . import dropped, steps
from .queue_model import UploadQueueModel
from .rows import CANCELLED, DONE, FAILED, NEW_VERSION, REJECTED, UNCHANGED, WAITING, UploadRow, failure
from .tally import QueueStats, Tally

APPEND_CHUNK = 250


class UploadQueue(QObject):
    statsChanged = Signal(object)  # QueueStats, at most once per flush tick
    texturesWritten = Signal(int)  # a collection id that got new textures or versions
    idle = Signal()  # nothing left to do
    added = Signal(int, int, str)  # files queued, files skipped in folders, why a drop failed
    afterUploadFailed = Signal(str)  # folder tags or material grouping failed (the files are in)

    def __init__(self, lanes, parent=None, *, read_slots: int | None = None, flush_ms: int = 100):
        super().__init__(parent)
        self.model = UploadQueueModel(self)
        self.store: VaultStore | None = None
        self.jobs = OwnedJobs(lanes)
        self.jobs.drop_when_destroyed(self)  # the window may go while files are in flight
        self._read_slots = read_slots or max(2, os.cpu_count() or 2)
        self._board = steps.ProgressBoard()
        self._tally = Tally()
        self._keys = count(1)
        self._to_prepare: deque[int] = deque()
        # Prepared rows, written in drop order (row keys rise) though they are prepared in parallel.
        self._to_write: list[int] = []
        self._reading = 0
        self._writing = False
        self.writing_key: int | None = None  # the row being written now
        self.last_failed_key: int | None = None  # the row that failed or was rejected last
        self._expanding = 0  # drops whose folders are still being walked or their rows added
        self._appended = 0  # rows of the drop being added so far
        self._dirty: set[int] = set()
        self._written_to: set[int] = set()
        # What landed since the queue was last idle, per (store, collection): grouped into materials
        # then, in one store call, so a dropped set makes one material version (as `vault import`).
        self._landed: dict[tuple[int, int], tuple[VaultStore, list[ImportResult]]] = {}
        self._folder_tags: dict[tuple[int, int], tuple[VaultStore, dict[int, tuple[str, ...]]]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(flush_ms)
        self._timer.timeout.connect(self._flush)

    # ---- what the pane and the window call --------------------------------------------------
    def set_store(self, store: VaultStore | None) -> None:
        """A new vault: work meant for the old one stops (it can no longer be written there) and
        its rows leave the pane (rows still running leave as soon as they stop)."""
        if store is self.store:
            return
        self.cancel([r.key for r in self.model.rows() if not r.finished], reason="vault closed")
        self.store = store
        self._drop_rows(lambda r: r.store is not store and r.finished)

    def add_paths(self, paths: list[str], collection_id: int, *, tag_folders: bool = False) -> None:
        """Queue dropped files and folders; folders are walked in the reads lane, not here.
        ``tag_folders``: each file gets the names of the folders below the dropped one as tags."""
        if self.store is None or not paths:
            return
        self._expanding += 1
        store = self.store
        roots = [p for p in paths if os.path.isdir(p)] if tag_folders else []
        self.jobs.read(
            dropped.expand, paths,
            on_done=lambda found: self._expanded(store, collection_id, *found, roots=roots),
            on_error=lambda exc: self._expanded(store, collection_id, [], 0, exc))
        self._timer.start()

    def retarget(self, collection_id: int) -> int:
        """Point every row not yet written at another collection; its plan is looked up again."""
        moved = 0
        for row in self.model.rows():
            if row.finished or row.collection_id == collection_id or (row.busy and row.plan):
                continue  # done, already there, or being written right now
            row.collection_id = collection_id
            moved += 1
            if row.plan is not None:  # prepared for the old target: prepare again for the new one
                self._to_write.remove(row.key)
                heapq.heapify(self._to_write)
                self._restart(row)
        self._pump()
        return moved

    def cancel(self, keys: list[int], reason: str = "") -> None:
        for key in keys:
            row = self.model.row_for_key(key)
            if row is None or row.finished:
                continue
            row.cancel.set()  # a running job stops at its next check and reports back
            if not row.busy:  # still waiting: _pump skips finished rows
                self._finish(row, CANCELLED, reason)
        self._pump()

    def cancel_all(self) -> None:
        self.cancel([r.key for r in self.model.rows()])

    def retry(self, keys: list[int] | None = None) -> int:
        """Queue again the failed or cancelled rows, and rejected ones whose file changed since
        (all of them when keys is None)."""
        self.recheck_rejected()
        rows = self.model.rows() if keys is None else [self.model.row_for_key(k) for k in keys]
        again = [r for r in rows if r is not None and r.retryable and r.store is self.store]
        for row in again:
            self._restart(row)
        self._pump()
        return len(again)

    def recheck_rejected(self) -> int:
        """Look again at rejected files (the artist may have re-exported one): changed ones become
        retryable. A stat per rejected row, on the GUI thread: called on window activation."""
        fixed = 0
        for row in self.model.rows():
            if row.state == REJECTED and not row.fixed and _file_stamp(row.path) != row.rejected_file:
                self._tally.change(row, fixed=True)
                self._dirty.add(row.key)
                fixed += 1
        if fixed:
            self.statsChanged.emit(self.stats())
        return fixed

    def clear_finished(self) -> int:
        return self._drop_rows(lambda r: r.finished)

    def _drop_rows(self, which) -> int:
        removed = self.model.remove_rows(which)
        for row in removed:
            self._tally.remove(row)
        self.statsChanged.emit(self.stats())
        return len(removed)

    def pending_count(self) -> int:
        return self._tally.files - self._tally.finished + self._expanding

    def stats(self) -> QueueStats:
        return self._tally.stats()

    # ---- the pipeline -----------------------------------------------------------------------
    def _expanded(self, store, collection_id: int, files: list[tuple[str, int]], skipped: int,
                  error: BaseException | None = None, roots: list[str] = ()) -> None:
        """Rows for the walked files, APPEND_CHUNK per event-loop turn: a drop of thousands of
        files never holds the loop for the whole list."""
        if store is not self.store:
            self._expanding -= 1
            return  # the vault changed while the folders were walked
        chunk, rest = files[:APPEND_CHUNK], files[APPEND_CHUNK:]
        rows = [UploadRow(next(self._keys), path, Path(path).name, size, store, collection_id,
                          tags=next((t for r in roots if (t := folder_tags(r, path))), ()))
                for path, size in chunk]
        self.model.append(rows)
        for row in rows:
            self._tally.add(row)
        self._to_prepare.extend(r.key for r in rows)
        self._pump()
        if rest:
            self._appended += len(rows)
            QTimer.singleShot(0, self, lambda: self._expanded(store, collection_id, rest, skipped, error,
                                                              roots))
            return
        self._expanding -= 1
        queued, self._appended = self._appended + len(rows), 0
        self.added.emit(queued, skipped, "" if error is None else str(error))

    def _restart(self, row: UploadRow) -> None:
        self._tally.change(row, state=WAITING, fraction=0.0)
        row.reason, row.plan, row.texture_id, row.version = "", None, None, None
        row.cancel = threading.Event()
        self._dirty.add(row.key)
        self._to_prepare.append(row.key)

    def _pump(self) -> None:
        while self._reading < self._read_slots and self._to_prepare:
            row = self.model.row_for_key(self._to_prepare.popleft())
            if row is None or row.finished:
                continue
            row.busy = True
            self._reading += 1
            self.jobs.read(
                steps.prepare, row.store, row.collection_id, row.path, row.key, self._board,
                row.cancel.is_set,
                on_done=lambda value, r=row, c=row.collection_id: self._prepared(r, value, c),
                on_error=lambda exc, r=row: self._prepare_failed(r, exc))
        while not self._writing and self._to_write:
            row = self.model.row_for_key(heapq.heappop(self._to_write))
            if row is None or row.finished:
                continue
            row.busy = True
            self._writing, self.writing_key = True, row.key
            if row.size <= MAX_BATCHED_FILE:  # small files go as `vault import` sends them: in batches
                rows = self._batch_after(row)
                self.jobs.write(
                    steps.write_many, row.store, row.collection_id,
                    [(r.key, r.path, r.upload_key(), r.plan, r.cancel.is_set) for r in rows], self._board,
                    on_done=lambda values, rs=rows: self._written_many(rs, values),
                    on_error=lambda exc, rs=rows: self._written_many(rs, [exc] * len(rs)))
                continue
            self.jobs.write(
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
            row.info, row.sha256, row.thumbnail, row.plan = (result.info, result.sha256,
                                                             result.thumbnail, result.plan)
            self._tally.change(row, size=result.size)
            if result.plan.action == "unchanged":
                row.texture_id, row.version = result.plan.texture_id, result.plan.next_version
                self._finish(row, UNCHANGED)
                self._remember_tags(row)
            else:
                self._tally.change(row, state=WAITING, fraction=max(row.fraction, 0.45))
                heapq.heappush(self._to_write, row.key)
        self._dirty.add(row.key)
        self._pump()

    def _prepare_failed(self, row: UploadRow, exc: BaseException) -> None:
        self._reading -= 1
        row.busy = False
        self._finish(row, *self._why(row, exc))
        self._pump()

    def _batch_after(self, first: UploadRow) -> list[UploadRow]:
        """``first`` and the small prepared rows after it for the same store and collection, up to
        one batch request's limits (store/import_items.py)."""
        rows, total = [first], first.size
        while self._to_write and len(rows) < MAX_BATCH_FILES:
            row = self.model.row_for_key(self._to_write[0])
            if row is not None and not row.finished and (
                    row.store is not first.store or row.collection_id != first.collection_id
                    or row.size > MAX_BATCHED_FILE or total + row.size > MAX_BATCH_BYTES):
                break
            heapq.heappop(self._to_write)
            if row is not None and not row.finished:
                row.busy = True
                rows.append(row)
                total += row.size
        return rows

    def _written_many(self, rows: list[UploadRow], results: list) -> None:
        """A batch answered: each row its own outcome (written, rejected, or the request's error)."""
        self._writing = False
        for row, result in zip(rows, results, strict=True):
            row.busy = False
            if isinstance(result, steps.Written):
                self._land(row, result)
            elif isinstance(result, BaseException):
                self._finish(row, *self._why(row, result))
            elif result.error_code in HTTP_STATUS:  # codes to states and words: rows.failure
                self._finish(row, *failure(VaultError(result.error_code, result.error or "rejected")))
            else:
                self._finish(row, REJECTED, result.error or "rejected")
        self._pump()

    def _written(self, row: UploadRow, result: steps.Written) -> None:
        self._writing = False
        row.busy = False
        self._land(row, result)
        self._pump()

    def _land(self, row: UploadRow, result: steps.Written) -> None:
        row.texture_id, row.version, row.plan = result.texture_id, result.version, result.plan
        row.qa = result.qa
        if result.action == "unchanged":
            self._finish(row, UNCHANGED)
        else:
            # Written even if a cancel came too late to stop it: say what really happened.
            self._written_to.add(row.collection_id)
            status = "new_version" if result.action == "version" else "added"
            landed = self._landed.setdefault((id(row.store), row.collection_id), (row.store, []))[1]
            landed.append(ImportResult(path=row.path, status=status, texture_id=result.texture_id,
                                       version=result.version))
            self._finish(row, NEW_VERSION if result.action == "version" else DONE)
        self._remember_tags(row)

    def _remember_tags(self, row: UploadRow) -> None:
        """Its folder tags, added when the queue is idle (unchanged bytes get them too)."""
        if row.tags and row.texture_id is not None:
            tags = self._folder_tags.setdefault((id(row.store), row.collection_id), (row.store, {}))[1]
            tags[row.texture_id] = row.tags

    def _write_failed(self, row: UploadRow, exc: BaseException) -> None:
        self._writing = False
        row.busy = False
        self._finish(row, *self._why(row, exc))
        self._pump()

    @staticmethod
    def _why(row: UploadRow, exc: BaseException) -> tuple[str, str]:
        # A cancelled upload may surface as the transport's error (the body stopped mid-stream).
        cancelled = row.cancel.is_set() or isinstance(exc, steps.UploadCancelled)
        return (CANCELLED, "") if cancelled else failure(exc)

    def _finish(self, row: UploadRow, state: str, reason: str = "") -> None:
        done = state in (DONE, NEW_VERSION, UNCHANGED)
        stamp = _file_stamp(row.path) if state == REJECTED else None
        self._tally.change(row, state=state, fraction=1.0 if done else row.fraction,
                           rejected_file=stamp, fixed=False)
        row.reason = reason
        self._dirty.add(row.key)
        if state in (REJECTED, FAILED):
            self.last_failed_key = row.key
        if row.store is not self.store:  # it stopped after the user switched vaults: it goes
            QTimer.singleShot(0, self, lambda: self._drop_rows(lambda r: r.store is not self.store
                                                               and r.finished))

    def _flush(self) -> None:
        """Apply workers' progress and every change since the last tick, in one dataChanged."""
        for key, (state, fraction) in self._board.take().items():
            row = self.model.row_for_key(key)
            if row is not None and row.busy and not row.cancel.is_set():
                self._tally.change(row, state=state, fraction=fraction)
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
            self._group_landed()
            self.idle.emit()

    def _group_landed(self) -> None:
        """Folder tags and materials for what this run of the queue wrote (workflows/folder_tags.py,
        workflows/material_import.py): one write job per collection, after the files."""
        landed, self._landed = self._landed, {}
        tagged, self._folder_tags = self._folder_tags, {}
        for key in landed.keys() | tagged.keys():
            store = (landed.get(key) or tagged.get(key))[0]
            if store is not self.store:
                continue
            results, tags = landed.get(key, (None, []))[1], tagged.get(key, (None, {}))[1]
            self.jobs.write(_after_upload, store, key[1], results, tags,
                            on_done=lambda changed, c=key[1]: changed and self.texturesWritten.emit(c),
                            on_error=lambda exc: self.afterUploadFailed.emit(str(exc)))


def _after_upload(store: VaultStore, collection_id: int, results: list[ImportResult],
                  tags: dict[int, tuple[str, ...]]) -> bool:
    """Worker job: folder tags, then materials; True when anything changed."""
    tagged = apply_folder_tags(store, tags) if tags else 0
    return bool(group_imported(store, collection_id, results) if results else []) or bool(tagged)


def _file_stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
