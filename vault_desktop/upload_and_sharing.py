"""Wires the upload pane, the sharing dialogs and their menu actions into the main window.

The main window calls ``install(window)`` once, at the end of its ``__init__``; everything this
area adds to the window (a dock, menu actions, a close guard) is attached here and nowhere else.
The installed parts stay reachable as ``window.upload_and_sharing`` (tests, and other actions).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMessageBox

from server_api.store.base import VaultStore
from vault_desktop.sharing.activity import ActivityDialog
from vault_desktop.sharing.admin_dialog import AdminDialog
from vault_desktop.sharing.share_dialog import ShareDialog
from vault_desktop.upload.pane import UploadPane
from vault_desktop.upload.queue import UploadQueue

GRID_REFRESH_MS = 2000  # while a long import runs, new textures show up in the grid this often


class UploadAndSharing(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.queue = UploadQueue(window.lanes, self)
        self.pane = UploadPane(self.queue, window.lanes)
        self.dock = QDockWidget("Uploads", window)
        self.dock.setObjectName("uploadsDock")
        self.dock.setWidget(self.pane)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()  # out of the way until files are dropped (or View ▸ Uploads)
        self.share_dialog: ShareDialog | None = None
        self.activity_dialog: ActivityDialog | None = None
        self.admin_dialog: AdminDialog | None = None
        self._quit_question: QMessageBox | None = None
        self._quit_confirmed = False
        self._grid_refresh = QTimer(self, singleShot=True, interval=GRID_REFRESH_MS)
        self._grid_refresh.timeout.connect(self._refresh_grid)
        self._add_actions()

        window.storeChanged.connect(self._store_changed)
        window.collectionChanged.connect(self._collection_changed)
        window.filesDropped.connect(self.drop)
        self.pane.textureActivated.connect(window.select_texture)
        self.queue.texturesWritten.connect(self._textures_written)
        self.queue.idle.connect(self._queue_idle)
        window.add_close_guard(self.may_close)
        if window.store is not None:
            self._store_changed(window.store)

    def _add_actions(self) -> None:
        w = self.window
        w.menu("View").addAction(self.dock.toggleViewAction())
        collection_menu = w.menu("Collection")
        collection_menu.addSeparator()
        self.share_action = QAction("&Share…", w)
        self.share_action.setStatusTip("Who may see and change this collection")
        self.share_action.triggered.connect(lambda _checked=False: self.open_share())
        self.activity_action = QAction("&Activity…", w)
        self.activity_action.setStatusTip("Shares, publishes and deletes in this collection")
        self.activity_action.triggered.connect(lambda _checked=False: self.open_activity())
        collection_menu.addAction(self.share_action)
        collection_menu.addAction(self.activity_action)
        self.admin_action = QAction("Server &admin…", w)
        self.admin_action.triggered.connect(lambda _checked=False: self.open_admin())
        self.admin_action.setVisible(False)  # shown once the store says we are a server admin
        w.menu("File").addAction(self.admin_action)
        self._collection_changed(w.current_collection())

    # ---- following the window ---------------------------------------------------------------
    def _store_changed(self, store: VaultStore) -> None:
        self.pane.set_store(store, self.window.current_collection())
        self.admin_action.setVisible(False)
        self._close_dialogs()  # they show the old vault
        if store.kind == "remote":
            self.window.lanes.reads.submit(
                store.current_user,
                on_done=lambda me: self.admin_action.setVisible(store is self.window.store and me.is_admin),
                on_error=lambda _exc: None)  # not signed in: no admin menu; the window reports the rest

    def _collection_changed(self, collection) -> None:
        self.share_action.setEnabled(collection is not None)
        self.activity_action.setEnabled(collection is not None)
        self.pane.reload_collections(collection if not self.queue.pending_count() else None)

    def drop(self, paths: list[str]) -> None:
        """Files dropped on the window or the grid's background go to the upload queue."""
        self.dock.show()
        self.dock.raise_()
        self.pane.drop_paths(paths)

    def _textures_written(self, collection_id: int) -> None:
        current = self.window.current_collection()
        if current is not None and current.id == collection_id and not self._grid_refresh.isActive():
            self._grid_refresh.start()

    def _queue_idle(self) -> None:
        if self._grid_refresh.isActive():
            self._grid_refresh.stop()
            self._refresh_grid()

    def _refresh_grid(self) -> None:
        self.window.refresh_textures()
        self.window.refresh_collections()  # texture counts in the sidebar

    # ---- dialogs ----------------------------------------------------------------------------
    def open_share(self) -> ShareDialog | None:
        dialog = self._open("share_dialog", ShareDialog, needs_collection=True)
        if dialog is not None:
            dialog.sharingChanged.connect(self._sharing_changed)
        return dialog

    def open_activity(self) -> ActivityDialog | None:
        return self._open("activity_dialog", ActivityDialog, needs_collection=True)

    def open_admin(self) -> AdminDialog | None:
        return self._open("admin_dialog", AdminDialog, needs_collection=False)

    def _open(self, attribute: str, dialog_class, needs_collection: bool):
        """Show a fresh, non-modal ``dialog_class`` (replacing an open one) for the current vault."""
        store, collection = self.window.store, self.window.current_collection()
        if store is None or (needs_collection and collection is None):
            return None
        if getattr(self, attribute) is not None:
            getattr(self, attribute).close()
        args = (store, collection) if needs_collection else (store,)
        dialog = dialog_class(*args, self.window.lanes, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget(attribute, d))
        setattr(self, attribute, dialog)
        dialog.show()
        return dialog

    def _forget(self, attribute: str, dialog) -> None:
        if getattr(self, attribute) is dialog:  # not a newer dialog opened since
            setattr(self, attribute, None)

    def _sharing_changed(self, collection_id: int) -> None:
        if self.activity_dialog is not None:
            self.activity_dialog.refresh_if_for(collection_id)
        self.window.refresh_collections()  # the "shared" mark in the sidebar

    # ---- quitting ---------------------------------------------------------------------------
    def may_close(self) -> bool:
        """The close guard: with files still queued, ask first. The question is window-modal and
        does not block the event loop (uploads go on meanwhile); "Quit" closes the window again."""
        pending = self.queue.pending_count()
        if not pending or self._quit_confirmed:
            self.queue.cancel_all()
            self._close_dialogs()
            return True
        if self._quit_question is None:
            box = QMessageBox(
                QMessageBox.Icon.Question, "Uploads still running",
                f"{pending} file{'s are' if pending > 1 else ' is'} not uploaded yet. Quit anyway?\n"
                "Files not yet written are cancelled; nothing is left half-written.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
            box.setDefaultButton(QMessageBox.StandardButton.No)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.finished.connect(lambda _result, b=box: self._quit_answered(b))
            self._quit_question = box
            box.open()
        return False

    def _quit_answered(self, box: QMessageBox) -> None:
        self._quit_question = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self._quit_confirmed = True
            self.window.close()

    def _close_dialogs(self) -> None:
        """Their pending results are dropped: nothing lands in widgets deleted with the window."""
        for dialog in (self.share_dialog, self.activity_dialog, self.admin_dialog):
            if dialog is not None:
                dialog.close()


def install(window) -> None:
    """Attach the upload pane and the sharing actions to ``window`` (a MainWindow)."""
    window.upload_and_sharing = UploadAndSharing(window)
