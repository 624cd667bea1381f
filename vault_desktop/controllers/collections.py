"""The collections sidebar: listing, choosing the current collection, and new, rename and delete
(each offered only where the user's level allows)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit

from server_api.core.wording import counted
from server_api.store.entities import Collection, level_rank
from vault_desktop.views.sidebar import CollectionSidebar
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action


class CollectionsController(QObject):
    listed = Signal(list)  # the collections now in the sidebar

    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self.sidebar = CollectionSidebar(context.dialog_parent)
        self.sidebar.collectionSelected.connect(context.set_collection)
        context.collectionsRefreshRequested.connect(self.refresh)
        self._add_actions()

    def _add_actions(self) -> None:
        m, parent = self.context.menu("Collection"), self.context.dialog_parent
        new = add_action(parent, m, "&New collection…", self.new_collection, "Ctrl+Shift+N")
        rename = add_action(parent, m, "&Rename…", self.rename_collection, "F2")
        delete = add_action(parent, m, "&Delete collection…", self.delete_collection)

        def update_enabled(*_args) -> None:
            rename.setEnabled(self.can_rename())
            delete.setEnabled(self.can_delete())

        m.aboutToShow.connect(update_enabled)
        self.context.collectionChanged.connect(update_enabled)
        for action in (new, rename, delete):
            self.sidebar.list.addAction(action)

    # ---- listing ----------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        """Reload the sidebar; keeps the current collection selected (or selects ``select_id``)."""
        store = self.context.store
        if store is None:
            return
        current = self.context.current_collection()
        keep = select_id if select_id is not None else (current.id if current else None)
        self.context.lanes.reads.submit(store.list_collections,
                                        on_done=lambda items: self._arrived(store, items, keep),
                                        on_error=self.context.report_error)

    def _arrived(self, store, items: list[Collection], keep: int | None) -> None:
        if store is not self.context.store:
            return
        self.sidebar.set_collections(items, keep_id=keep)
        self.listed.emit(items)

    # ---- levels -----------------------------------------------------------------------------
    def can_rename(self) -> bool:
        c = self.context.current_collection()
        return c is not None and level_rank(c.my_level) >= level_rank("admin")

    def can_delete(self) -> bool:
        c = self.context.current_collection()
        return c is not None and level_rank(c.my_level) >= level_rank("owner")

    # ---- new, rename, delete ----------------------------------------------------------------
    def new_collection(self) -> None:
        name, ok = QInputDialog.getText(self.context.dialog_parent, "New collection", "Name:",
                                        QLineEdit.EchoMode.Normal, "")
        if ok and name.strip():
            self.create(name.strip())

    def create(self, name: str) -> None:
        self.context.write(lambda store: store.create_collection(name), action="New collection",
                           on_done=lambda c: self.refresh(select_id=c.id))

    def rename_collection(self) -> None:
        c = self.context.current_collection()
        if c is None or not self.can_rename():
            return
        name, ok = QInputDialog.getText(self.context.dialog_parent, "Rename collection", "Name:",
                                        QLineEdit.EchoMode.Normal, c.name)
        if ok and name.strip() and name.strip() != c.name:
            self.rename(c.id, name.strip())

    def rename(self, collection_id: int, name: str) -> None:
        self.context.write(lambda store: store.update_collection(collection_id, name=name),
                           action="Rename collection", on_done=lambda c: self.refresh(select_id=c.id))

    def delete_collection(self) -> None:
        c = self.context.current_collection()
        if c is None or not self.can_delete():
            return
        text = (f"Delete the collection “{c.name}” with its {counted(c.texture_count, 'texture')} and all "
                "their versions?\nFiles on your disk are not touched.")
        if self.context.confirm("Delete collection", text, "Delete"):
            self.context.write(lambda store: store.delete_collection(c.id), action="Delete collection",
                               on_done=lambda _: self.refresh())
