"""Collection ▸ QA rules… (also on the sidebar's context menu): the rules dialog, for the
collection's admins only. Saving refreshes the grid: its QA badges come with the listing."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from server_api.store.entities import level_rank
from vault_desktop.controllers.dialog_slot import DialogSlot
from vault_desktop.dialogs.qa_rules_dialog import QaRulesDialog
from vault_desktop.window_context import WindowContext


class QaRulesController(QObject):
    def __init__(self, context: WindowContext, sidebar):
        super().__init__(context)
        self.context = context
        self._slot = DialogSlot()
        self.action = QAction("&QA rules…", context.dialog_parent)
        self.action.setStatusTip("What this collection's textures are checked for (admins)")
        self.action.triggered.connect(lambda _checked=False: self.open_rules())
        context.menu("Collection").addAction(self.action)
        sidebar.list.addAction(self.action)
        self._collection_changed(context.current_collection())
        context.collectionChanged.connect(self._collection_changed)
        context.collectionUpdated.connect(self._collection_changed)
        context.storeChanged.connect(lambda _store: self._slot.close())
        context.closing.connect(self._slot.close)

    @property
    def dialog(self) -> QaRulesDialog | None:
        return self._slot.dialog

    def _collection_changed(self, collection) -> None:
        admin = collection is not None and level_rank(collection.my_level) >= level_rank("admin")
        self.action.setEnabled(admin)

    def open_rules(self) -> QaRulesDialog | None:
        store, collection = self.context.store, self.context.current_collection()
        if store is None or collection is None or not self.action.isEnabled():
            return None
        dialog = self._slot.open(lambda: QaRulesDialog(store, collection, self.context.lanes,
                                                       self.context.dialog_parent))
        dialog.saved.connect(self._saved)
        return dialog

    def _saved(self, rules) -> None:
        self.context.status(f"QA rules saved ({len(rules.rules)} in force); findings updated", 5000)
        self.context.refresh_textures()
