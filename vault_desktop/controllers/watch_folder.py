"""Collection ▸ Watch folder…: the current collection follows a folder (workflows/watching.py).

One watch at a time, on its own thread (it waits on the file system, not on the task lanes); what
it picks up is said in the status bar and the grid reloads. Collection ▸ Stop watching, another
vault, or closing the window ends it.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from server_api.workflows.watching import SETTLE_SECONDS, WatchReport, watch_folder
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action


class WatchFolderController(QObject):
    picked = Signal(object)  # a WatchReport, from the watch thread (queued onto the GUI thread)
    said = Signal(str)  # what the watch is doing, from the watch thread

    def __init__(self, context: WindowContext, settle: float = SETTLE_SECONDS):
        super().__init__(context)
        self.context = context
        self.settle = settle
        self.folder: str | None = None
        self._collection_id: int | None = None
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        m, parent = context.menu("Collection"), context.dialog_parent
        m.addSeparator()
        self.watch_action = add_action(parent, m, "&Watch folder…", self.choose_folder)
        self.stop_action = add_action(parent, m, "&Stop watching", self.stop)
        self.stop_action.setEnabled(False)
        self.picked.connect(self._picked)
        self.said.connect(lambda text: context.status(f"Watch folder: {text}", 8000))
        context.collectionChanged.connect(lambda c: self.watch_action.setEnabled(context.can_write()))
        context.storeChanged.connect(lambda _store: self.stop())
        context.closing.connect(self.stop)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.context.dialog_parent, "Watch folder")
        if folder:
            self.watch(folder)

    def watch(self, folder: str) -> None:
        """Follow ``folder`` into the current collection (ending any watch before)."""
        collection, store = self.context.current_collection(), self.context.store
        if collection is None or store is None:
            return
        self.stop()
        self.folder, self._collection_id = folder, collection.id
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=watch_folder, args=(store, collection.id, folder), daemon=True, name="watch-folder",
            kwargs={"stop": self._stop, "on_report": self.picked.emit, "on_status": self.said.emit,
                    "settle": self.settle},
        )
        self._thread.start()
        self.stop_action.setText(f"&Stop watching {folder}")
        self.stop_action.setEnabled(True)

    def stop(self) -> None:
        if self._stop is None:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)  # it looks at the stop flag four times a second
        self._stop = self._thread = None
        self.context.status(f"Watch folder: stopped watching {self.folder}", 8000)
        self.folder = None
        self.stop_action.setText("&Stop watching")
        self.stop_action.setEnabled(False)

    def _picked(self, report: WatchReport) -> None:
        self.context.status(f"Watch folder: {report.summary()}", 15000)
        current = self.context.current_collection()
        if current is not None and current.id == self._collection_id:
            self.context.refresh_textures()
