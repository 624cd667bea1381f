"""New, rename and delete collections, offered only where the user's level allows."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit

from server_api.store.entities import level_rank


class CollectionActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.w = window

    def can_rename(self) -> bool:
        c = self.w.current_collection()
        return c is not None and level_rank(c.my_level) >= level_rank("admin")

    def can_delete(self) -> bool:
        c = self.w.current_collection()
        return c is not None and level_rank(c.my_level) >= level_rank("owner")

    def new_collection(self) -> None:
        name, ok = QInputDialog.getText(self.w, "New collection", "Name:", QLineEdit.EchoMode.Normal, "")
        if ok and name.strip():
            self.create(name.strip())

    def create(self, name: str) -> None:
        store = self.w.store
        self.w.lanes.writes.submit(store.create_collection, name,
                                   on_done=lambda c: self._changed(c.id),
                                   on_error=lambda exc: self.w.report_error(exc, "New collection"))

    def rename_collection(self) -> None:
        c = self.w.current_collection()
        if c is None or not self.can_rename():
            return
        name, ok = QInputDialog.getText(self.w, "Rename collection", "Name:", QLineEdit.EchoMode.Normal,
                                        c.name)
        if ok and name.strip() and name.strip() != c.name:
            self.rename(c.id, name.strip())

    def rename(self, collection_id: int, name: str) -> None:
        store = self.w.store
        self.w.lanes.writes.submit(lambda: store.update_collection(collection_id, name=name),
                                   on_done=lambda c: self._changed(c.id),
                                   on_error=lambda exc: self.w.report_error(exc, "Rename collection"))

    def delete_collection(self) -> None:
        c = self.w.current_collection()
        if c is None or not self.can_delete():
            return
        text = (f"Delete the collection “{c.name}” with its {c.texture_count:,} textures and all their "
                "versions?\nFiles on your disk are not touched.")
        if self.w.actions_.confirm("Delete collection", text, "Delete"):
            store = self.w.store
            self.w.lanes.writes.submit(store.delete_collection, c.id,
                                       on_done=lambda _: self.w.refresh_collections(),
                                       on_error=lambda exc: self.w.report_error(exc, "Delete collection"))

    def _changed(self, collection_id: int) -> None:
        self.w.refresh_collections(select_id=collection_id)
