"""The upload pane (a dock, View ▸ Uploads): dropped files go to the upload queue; while a long
import runs the grid picks up new textures every few seconds; quitting with files pending asks."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMessageBox

from server_api.store.base import VaultStore
from vault_desktop.upload.pane import UploadPane
from vault_desktop.upload.queue import UploadQueue
from vault_desktop.window_context import WindowContext

GRID_REFRESH_MS = 2000  # while a long import runs, new textures show up in the grid this often


class UploadController(QObject):
    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self.queue = UploadQueue(context.lanes, self)
        self.pane = UploadPane(self.queue, context.lanes)
        self.dock = QDockWidget("Uploads", context.dialog_parent)  # the window places it
        self.dock.setObjectName("uploadsDock")
        self.dock.setWidget(self.pane)
        self.quit_question: QMessageBox | None = None  # asked while files are still pending
        self._quit_confirmed = False
        self._grid_refresh = QTimer(self, singleShot=True, interval=GRID_REFRESH_MS)
        self._grid_refresh.timeout.connect(self._refresh_grid)
        context.menu("View").addAction(self.dock.toggleViewAction())

        context.storeChanged.connect(self._store_changed)
        context.collectionChanged.connect(self._collection_changed)
        self.pane.textureActivated.connect(context.select_texture)
        self.queue.texturesWritten.connect(self._textures_written)
        self.queue.idle.connect(self._queue_idle)
        context.add_close_guard(self.may_close)
        context.closing.connect(self.queue.cancel_all)
        self._collection_changed(context.current_collection())
        if context.store is not None:
            self._store_changed(context.store)

    # ---- following the window ---------------------------------------------------------------
    def _store_changed(self, store: VaultStore) -> None:
        self.pane.set_store(store, self.context.current_collection())

    def _collection_changed(self, collection) -> None:
        self.pane.reload_collections(collection if not self.queue.pending_count() else None)

    def drop(self, paths: list[str]) -> None:
        """Files dropped on the window or the grid's background go to the upload queue."""
        self.dock.show()
        self.dock.raise_()
        self.pane.drop_paths(paths)

    def _textures_written(self, collection_id: int) -> None:
        current = self.context.current_collection()
        if current is not None and current.id == collection_id and not self._grid_refresh.isActive():
            self._grid_refresh.start()

    def _queue_idle(self) -> None:
        if self._grid_refresh.isActive():
            self._grid_refresh.stop()
            self._refresh_grid()

    def _refresh_grid(self) -> None:
        self.context.refresh_textures()
        self.context.refresh_collections()  # texture counts in the sidebar

    # ---- quitting ---------------------------------------------------------------------------
    def may_close(self) -> bool:
        """The close guard: with files still queued, ask first. The question is window-modal and
        does not block the event loop (uploads go on meanwhile); "Quit" closes the window again."""
        pending = self.queue.pending_count()
        if not pending or self._quit_confirmed:
            return True  # the queue is cancelled on ``closing``
        if self.quit_question is None:
            box = QMessageBox(
                QMessageBox.Icon.Question, "Uploads still running",
                f"{pending} file{'s are' if pending > 1 else ' is'} not uploaded yet. Quit anyway?\n"
                "Files not yet written are cancelled; nothing is left half-written.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.context.dialog_parent)
            box.setDefaultButton(QMessageBox.StandardButton.No)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.finished.connect(lambda _result, b=box: self._quit_answered(b))
            self.quit_question = box
            box.open()
        return False

    def _quit_answered(self, box: QMessageBox) -> None:
        self.quit_question = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self._quit_confirmed = True
            self.context.close_window()
