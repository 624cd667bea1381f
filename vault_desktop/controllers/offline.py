"""Working without the server: the window stays browsable from the kept copy (store/cached), says so
in the banner ("Offline — showing what was cached at 14:32"), queues files dropped meanwhile, replays
the queue when the server answers again (saying where each new version landed), and keeps whole
collections offline on request (Collection ▸ Keep offline…, with the size asked first).

Only a server opened through its cached face has any of this; a local vault or a bare REST store
leaves the controller idle.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from server_api.content.hashes import file_sha256
from server_api.core.errors import VaultError
from server_api.core.units import human_size
from server_api.core.wording import counted
from server_api.store.cached import CachedRemoteStore, cached_store
from server_api.workflows.importing import expand_paths, original_path_of
from vault_desktop.connection import ConnectionMonitor
from vault_desktop.views.banner import ConnectionBanner
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action


def offline_note(cached_at: float | None) -> str:
    when = time.strftime("%H:%M", time.localtime(cached_at)) if cached_at else "an unknown time"
    return f"Offline — showing what was cached at {when}"


def queue_files(store: CachedRemoteStore, collection_id: int, paths: list[str]) -> list[str]:
    """Worker job: every file into the offline queue (or straight up if the server is back)."""
    notes = []
    for path in expand_paths(paths):
        result = store.import_source(collection_id, path, original_path=original_path_of(path),
                                     sha256=file_sha256(path))
        notes.append(f"{result.path}: {result.status}")
    return notes


class OfflineController(QObject):
    replayed = Signal(list)  # the queue entries a replay finished (Pending)

    def __init__(self, context: WindowContext, monitor: ConnectionMonitor, banner: ConnectionBanner):
        super().__init__(context)
        self.context = context
        self.monitor = monitor
        self.banner = banner
        self.pending_label = QLabel("", context.dialog_parent)  # the window puts it in the status bar
        self.pending_label.setObjectName("pendingUploads")
        self.pending_label.hide()
        self.last_outcomes: list[str] = []
        self._progress = (0, 0)  # (done, total) bytes of a running Keep offline, written by its worker
        self._progress_timer = QTimer(self, interval=250)
        self._progress_timer.timeout.connect(self._show_progress)
        self.keep_action = add_action(context.dialog_parent, context.menu("Collection"), "&Keep offline…",
                                      self.keep_offline)
        context.storeChanged.connect(self._store_changed)
        context.collectionChanged.connect(lambda _c: self._update_actions())
        monitor.wentDown.connect(self._went_down)
        monitor.recovered.connect(self.replay)
        self._update_actions()

    # ---- online or not ----------------------------------------------------------------------
    @property
    def store(self) -> CachedRemoteStore | None:
        return cached_store(self.context.store)

    def is_offline(self) -> bool:
        return self.store is not None and (self.monitor.is_down or self.store.offline)

    def _store_changed(self, store) -> None:
        self.banner.set_note("")
        self._update_actions()
        self._update_pending()
        cached = cached_store(store)
        if cached is not None and cached.offline:  # opened from the copy: say so now, not at the next beat
            self.monitor.report_unavailable(RuntimeError(f"{cached.uri} is unreachable"))

    def _went_down(self, _message: str) -> None:
        if self.store is not None:
            self.banner.set_note(offline_note(self.store.cached_at))

    def _update_actions(self) -> None:
        self.keep_action.setEnabled(self.store is not None and self.context.current_collection() is not None)

    def _update_pending(self) -> None:
        store = self.store
        if store is None:
            self.pending_label.hide()
            return
        self.context.lanes.reads.submit(lambda: len(store.pending()), on_done=self._show_pending)

    def _show_pending(self, count: int) -> None:
        self.pending_label.setText(f"{count} waiting to upload" if count else "")
        self.pending_label.setVisible(bool(count))

    # ---- the offline queue ------------------------------------------------------------------
    def queue_files(self, paths: list[str]) -> None:
        """Files dropped while offline: into the durable queue, shown as pending."""
        store, collection = self.store, self.context.current_collection()
        if store is None or collection is None:
            return

        def done(notes: list[str]) -> None:
            self.context.status(f"{counted(len(notes), 'file')} queued: sent when the server answers", 8000)
            self._update_pending()

        self.context.lanes.writes.submit(
            queue_files, store, collection.id, paths, on_done=done,
            on_error=lambda exc: self.context.report_error(exc, "Queueing files"))

    def queue_versions(self, texture_id: int, paths: list[str]) -> None:
        """Files dropped on a texture while offline: new versions, queued in drop order."""
        store = self.store
        if store is None:
            return

        def queue(s: CachedRemoteStore) -> int:
            for path in paths:
                try:
                    s.add_version(texture_id, path, note=f"from {os.path.basename(path)}")
                except VaultError as exc:
                    if exc.code != "unavailable" or "queued" not in exc.message:
                        raise
            return len(paths)

        def done(n: int) -> None:
            self.context.status(f"{counted(n, 'new version')} queued: sent when the server answers", 8000)
            self._update_pending()

        self.context.lanes.writes.submit(queue, store, on_done=done,
                                         on_error=lambda e: self.context.report_error(e, "Queueing versions"))

    def replay(self) -> None:
        """The server answers again: send what waits, in order, then show where it landed."""
        store = self.store
        if store is None:
            return
        self.banner.set_note("")
        self.context.lanes.writes.submit(
            store.sync, on_done=self._replayed,
            on_error=lambda exc: self.context.report_error(exc, "Sending the queue"))

    def _replayed(self, finished: list) -> None:
        self._update_pending()
        if not finished:
            return
        self.last_outcomes = [f"{p.what}: {p.outcome}" for p in finished]
        self.context.refresh_textures()
        self.context.refresh_collections()
        after = [p.outcome for p in finished if " after " in p.outcome or p.state == "failed"]
        if after:  # someone else's version came first, or the server refused one: worth a note
            self.context.show_message("Queued changes sent", "\n".join(self.last_outcomes))
        else:
            self.context.status(f"Sent {counted(len(finished), 'queued change')}", 8000)
        self.replayed.emit(finished)

    # ---- Keep offline -----------------------------------------------------------------------
    def keep_offline(self) -> None:
        store, collection = self.store, self.context.current_collection()
        if store is None or collection is None:
            return

        def measure(s: CachedRemoteStore) -> tuple[int, int]:
            s.sync_collection(collection.id)
            return s.offline_size(collection.id)

        self.context.status(f"Measuring “{collection.name}”…")
        self.context.lanes.reads.submit(measure, store, on_done=lambda size: self._ask_keep(collection, size),
                                        on_error=lambda exc: self.context.report_error(exc, "Keep offline"))

    def _ask_keep(self, collection, size: tuple[int, int]) -> None:
        files, total = size
        if files == 0:
            self.context.status(f"“{collection.name}” is already kept offline", 6000)
            return
        text = (f"Download the current version of {counted(files, 'texture')} "
                f"({human_size(total)}) of “{collection.name}” to this computer, for use without the server?")
        if not self.context.confirm("Keep offline", text, "Download"):
            self.context.clear_status()
            return
        store = self.store
        self._progress = (0, total)
        self._progress_timer.start()

        def progress(done: int, whole: int) -> None:
            self._progress = (done, whole)

        def finished(fetched: int) -> None:
            self._progress_timer.stop()
            self.context.status(f"“{collection.name}” is kept offline ({human_size(fetched)} fetched)", 8000)

        def failed(exc: BaseException) -> None:
            self._progress_timer.stop()
            self.context.report_error(exc, "Keep offline")

        self.context.lanes.writes.submit(lambda: store.keep_offline(collection.id, progress),
                                         on_done=finished, on_error=failed)

    def _show_progress(self) -> None:
        done, total = self._progress
        self.context.status(f"Keeping offline: {human_size(done)} of {human_size(total)}")
