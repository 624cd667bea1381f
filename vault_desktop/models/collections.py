"""The sidebar's model: the collections the user can read, with count, level and a shared marker."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from server_api.store.entities import Collection
from vault_desktop.models.roles import BadgesRole, EntityRole, SubtitleRole


def describe(c: Collection) -> str:
    count = f"{c.texture_count:,} texture" + ("" if c.texture_count == 1 else "s")
    return f"{count} · {c.my_level}" + (" · shared" if c.shared else "")


class CollectionListModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._items: list[Collection] = []

    def set_collections(self, items: list[Collection]) -> None:
        self.beginResetModel()
        self._items = sorted(items, key=lambda c: c.name.lower())
        self.endResetModel()

    def collection_at(self, row: int) -> Collection | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, collection_id: int) -> int | None:
        for i, c in enumerate(self._items):
            if c.id == collection_id:
                return i
        return None

    def collections(self) -> list[Collection]:
        return list(self._items)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        c = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return c.name
        if role == SubtitleRole:
            return describe(c)
        if role == Qt.ItemDataRole.ToolTipRole:
            shared = "shared" if c.shared else "not shared"
            return f"{c.name}\nowner: {c.owner} · your level: {c.my_level} · {shared}"
        if role == EntityRole:
            return c
        if role == BadgesRole:
            return (c.my_level, "shared") if c.shared else (c.my_level,)
        return None
