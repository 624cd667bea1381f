"""Collection ▸ Share… and Activity…: who may see and change the current collection, and what
happened in it. Each opens a fresh non-modal dialog for the vault shown (one of each at a time)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from vault_desktop.controllers.dialog_slot import DialogSlot
from vault_desktop.sharing.activity import ActivityDialog
from vault_desktop.sharing.share_dialog import ShareDialog
from vault_desktop.window_context import WindowContext


class SharingController(QObject):
    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self._share = DialogSlot()
        self._activity = DialogSlot()
        parent, menu = context.dialog_parent, context.menu("Collection")
        menu.addSeparator()
        self.share_action = QAction("&Share…", parent)
        self.share_action.setStatusTip("Who may see and change this collection")
        self.share_action.triggered.connect(lambda _checked=False: self.open_share())
        self.activity_action = QAction("&Activity…", parent)
        self.activity_action.setStatusTip("Everything that happened in this collection")
        self.activity_action.triggered.connect(lambda _checked=False: self.open_activity())
        menu.addAction(self.share_action)
        menu.addAction(self.activity_action)
        self._collection_changed(context.current_collection())
        context.storeChanged.connect(lambda _store: self._close_dialogs())  # they show the old vault
        context.collectionChanged.connect(self._collection_changed)
        context.closing.connect(self._close_dialogs)

    @property
    def share_dialog(self) -> ShareDialog | None:
        return self._share.dialog

    @property
    def activity_dialog(self) -> ActivityDialog | None:
        return self._activity.dialog

    def _collection_changed(self, collection) -> None:
        self.share_action.setEnabled(collection is not None)
        self.activity_action.setEnabled(collection is not None)

    def open_share(self) -> ShareDialog | None:
        store, collection = self.context.store, self.context.current_collection()
        if store is None or collection is None:
            return None
        dialog = self._share.open(lambda: ShareDialog(store, collection, self.context.lanes,
                                                      self.context.dialog_parent))
        dialog.sharingChanged.connect(self._sharing_changed)
        return dialog

    def open_activity(self) -> ActivityDialog | None:
        store, collection = self.context.store, self.context.current_collection()
        if store is None or collection is None:
            return None
        return self._activity.open(lambda: ActivityDialog(store, collection, self.context.lanes,
                                                          self.context.dialog_parent))

    def _sharing_changed(self, collection_id: int) -> None:
        if self.activity_dialog is not None:
            self.activity_dialog.refresh_if_for(collection_id)
        self.context.refresh_collections()  # the "shared" mark in the sidebar

    def _close_dialogs(self) -> None:
        self._share.close()
        self._activity.close()
