"""Smart collections in the sidebar: saved queries with live counts. Choosing one puts its query in
the filter box and searches every collection; *Save search…* keeps the box's query under a name;
*Delete smart collection* forgets one. Each user has their own (store: save_smart_collection)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit

from server_api.store.tag_api import SmartCollection
from vault_desktop.views.filter_bar import FilterBar
from vault_desktop.views.smart_list import SmartCollectionList
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action


class SmartCollectionsController(QObject):
    def __init__(self, context: WindowContext, filter_bar: FilterBar):
        super().__init__(context)
        self.context = context
        self.filter_bar = filter_bar
        parent = context.dialog_parent
        self.title = QLabel("SMART COLLECTIONS", parent)
        self.title.setObjectName("sectionTitle")
        self.list = SmartCollectionList(parent)
        self.list.hide()
        self.title.hide()
        self.list.chosen.connect(self.choose)
        menu = context.menu("Collection")
        menu.addSeparator()
        self.save_action = add_action(parent, menu, "&Save search as smart collection…", self.save_search,
                                      "Ctrl+Shift+S")
        self.delete_action = add_action(parent, menu, "Delete smart collection", self.delete_current)
        self.list.addAction(self.delete_action)
        menu.aboutToShow.connect(self._update_enabled)
        context.storeChanged.connect(lambda _store: self.refresh())
        context.texturesRefreshRequested.connect(self.refresh)  # counts are live

    def _update_enabled(self) -> None:
        typed = bool(self.filter_bar.text.text().strip())
        self.save_action.setEnabled(self.context.store is not None and typed)
        self.delete_action.setEnabled(self.list.current() is not None)

    def refresh(self) -> None:
        store = self.context.store
        if store is None:
            self._show([])
            return
        self.context.lanes.reads.submit(
            store.list_smart_collections,
            on_done=lambda items: store is self.context.store and self._show(items),
            on_error=self.context.report_error)

    def _show(self, items: list[SmartCollection]) -> None:
        self.list.set_smart_collections(items)
        self.title.setVisible(bool(items))

    def choose(self, smart: SmartCollection | None) -> None:
        if smart is not None:
            self.filter_bar.show_search(smart.query, everywhere=True)
            self.context.status(f"Smart collection “{smart.name}”: {smart.query}", 6000)

    def save_search(self) -> None:
        query = self.filter_bar.text.text().strip()
        if not query or self.context.store is None:
            return
        name, ok = QInputDialog.getText(self.context.dialog_parent, "Save search",
                                        f"Name for “{query}”:", QLineEdit.EchoMode.Normal, "")
        if ok and name.strip():
            self.save(name.strip(), query)

    def save(self, name: str, query: str) -> None:
        self.context.write(lambda store: store.save_smart_collection(name, query), action="Save search",
                           on_done=lambda smart: (self.context.status(
                               f"Saved “{smart.name}” ({smart.count:,} now)", 6000), self.refresh()))

    def delete_current(self) -> None:
        smart = self.list.current()
        if smart is None:
            return
        if self.context.confirm("Delete smart collection",
                                f"Forget the saved search “{smart.name}” ({smart.query})?\n"
                                "No texture is touched.", "Delete"):
            self.context.write(lambda store: store.delete_smart_collection(smart.id),
                               action="Delete smart collection", on_done=lambda _r: self.refresh())
