"""What a feature controller may know about the window it lives in, and nothing more.

Controllers (``vault_desktop/controllers/``) get this object instead of the window: the open store
and the current collection (with signals when they change), the task lanes, the status bar,
one way to report errors and ask the user, the menus to put actions in, and *requests* (refresh the
collections, reload a texture …) that the controller owning that part answers. The window wires
the requests to the controllers when it composes them, so no controller knows another's insides.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import Collection, level_rank
from vault_desktop.connection import is_unavailable
from vault_desktop.settings import Settings
from vault_desktop.tasks import Lanes, TaskHandle

MENUS = ("File", "Edit", "View", "Collection", "Help")


class WindowContext(QObject):
    closing = Signal()  # every close guard agreed: drop what is pending, close dialogs
    storeChanged = Signal(object)  # the new VaultStore; the current collection is None again
    collectionChanged = Signal(object)  # another Collection (or None) is current
    collectionUpdated = Signal(object)  # the current Collection's record was set (a fresh copy too)
    serverUnreachable = Signal(object)  # a job failed because the server did not answer
    # requests: any controller may ask, the one owning the part answers
    collectionsRefreshRequested = Signal(object)  # select this collection id afterwards (or None)
    texturesRefreshRequested = Signal()
    textureReloadRequested = Signal(int)  # a write changed this texture
    textureSelectRequested = Signal(int)

    def __init__(self, window: QMainWindow, settings: Settings, lanes: Lanes):
        super().__init__(window)
        self.dialog_parent = window  # the parent of dialogs and boxes; no controller calls into it
        self._window = window
        self.settings = settings
        self.lanes = lanes
        self.last_message: QMessageBox | None = None
        self._store: VaultStore | None = None
        self._collection: Collection | None = None
        self._close_guards: list[Callable[[], bool]] = []
        self._menus = {name: window.menuBar().addMenu(f"&{name}") for name in MENUS}

    # ---- the store and the current collection -------------------------------------------------
    @property
    def store(self) -> VaultStore | None:
        return self._store

    def set_store(self, store: VaultStore) -> None:
        """Switch to ``store`` (already opened, off the GUI thread); the old one is closed."""
        old, self._store = self._store, store
        self._collection = None
        if old is not None and old is not store:
            self.lanes.writes.submit(old.close)
        self.storeChanged.emit(store)
        self.refresh_collections()

    def current_collection(self) -> Collection | None:
        return self._collection

    def set_collection(self, collection: Collection | None) -> None:
        previous = self._collection
        same = collection is not None and previous is not None and collection.id == previous.id
        self._collection = collection
        self.collectionUpdated.emit(collection)
        if not same:  # a refreshed list re-selecting it leaves the grid where it is
            self.collectionChanged.emit(collection)

    def can_write(self) -> bool:
        return self._collection is not None and level_rank(self._collection.my_level) >= level_rank("write")

    def write(self, fn, *args, action: str, on_done) -> TaskHandle:
        """Run ``fn(store, *args)`` on the write lane; the answer is dropped if the vault changed."""
        store = self._store
        return self.lanes.writes.submit(
            fn, store, *args,
            on_done=lambda result: on_done(result) if store is self._store else None,
            on_error=lambda exc: self.report_error(exc, action))

    # ---- requests ---------------------------------------------------------------------------
    def refresh_collections(self, select_id: int | None = None) -> None:
        self.collectionsRefreshRequested.emit(select_id)

    def refresh_textures(self) -> None:
        self.texturesRefreshRequested.emit()

    def reload_texture(self, texture_id: int) -> None:
        self.textureReloadRequested.emit(texture_id)

    def select_texture(self, texture_id: int) -> None:
        self.textureSelectRequested.emit(texture_id)

    # ---- talking to the user ----------------------------------------------------------------
    def status(self, text: str, msecs: int = 0) -> None:
        self._window.statusBar().showMessage(text, msecs)

    def clear_status(self) -> None:
        self._window.statusBar().clearMessage()

    def report_error(self, exc: BaseException, action: str | None = None) -> None:
        """One place for failures: unreachable → banner; user errors → message; bugs → excepthook."""
        if is_unavailable(exc):
            self.serverUnreachable.emit(exc)
            return
        if not isinstance(exc, VaultError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
            return
        if action is None:
            self.status(exc.message, 8000)
            return
        self.show_message(f"{action} failed", exc.message, QMessageBox.Icon.Warning)

    def show_message(self, title: str, text: str, icon=QMessageBox.Icon.Information) -> QMessageBox:
        """A window-modal note that does not block the event loop (results keep arriving)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box
        return box

    def confirm(self, title: str, text: str, ok_label: str) -> bool:
        """Ask before a destructive step (QMessageBox.exec, so tests answer it like a user)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel,
                          self._window)
        ok = box.addButton(ok_label, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(ok)
        box.exec()
        return box.clickedButton() is ok

    # ---- the window's frame -----------------------------------------------------------------
    def menu(self, name: str) -> QMenu:
        return self._menus[name]

    def add_close_guard(self, guard: Callable[[], bool]) -> None:
        """``guard()`` runs when the window is asked to close; False keeps it open."""
        self._close_guards.append(guard)

    def may_close(self) -> bool:
        """Ask the guards (stopping at the first that says no); when all agree, emit ``closing``."""
        if not all(guard() for guard in self._close_guards):
            return False
        self.closing.emit()
        return True

    def close_window(self) -> None:
        """Ask to close the window again (the guards run again)."""
        self._window.close()
