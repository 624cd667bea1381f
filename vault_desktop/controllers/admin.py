"""File ▸ Server admin…: accounts and storage, offered only when the server says we are an admin."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from server_api.store.base import VaultStore
from vault_desktop.controllers.dialog_slot import DialogSlot
from vault_desktop.sharing.admin_dialog import AdminDialog
from vault_desktop.window_context import WindowContext


class AdminController(QObject):
    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self._slot = DialogSlot()
        self.admin_action = QAction("Server &admin…", context.dialog_parent)
        self.admin_action.triggered.connect(lambda _checked=False: self.open_admin())
        self.admin_action.setVisible(False)  # shown once the store says we are a server admin
        context.menu("File").addAction(self.admin_action)
        context.storeChanged.connect(self._store_changed)
        context.closing.connect(self._slot.close)

    @property
    def admin_dialog(self) -> AdminDialog | None:
        return self._slot.dialog

    def _store_changed(self, store: VaultStore) -> None:
        self.admin_action.setVisible(False)
        self._slot.close()  # it shows the old vault
        if store.kind == "remote":
            self.context.lanes.reads.submit(
                store.current_user,
                on_done=lambda me: self.admin_action.setVisible(store is self.context.store and me.is_admin),
                on_error=lambda _exc: None)  # not signed in: no admin menu; the window reports the rest

    def open_admin(self) -> AdminDialog | None:
        store = self.context.store
        if store is None:
            return None
        return self._slot.open(lambda: AdminDialog(store, self.context.lanes, self.context.dialog_parent))
