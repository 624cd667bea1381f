"""The sidebar's smart collections: a saved query per row, "wood -wip · 1,204" (its live count)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from server_api.store.tag_api import SmartCollection

SmartIdRole = Qt.ItemDataRole.UserRole + 60


class SmartCollectionList(QListWidget):
    chosen = Signal(object)  # the SmartCollection clicked

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("smartCollections")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setMaximumHeight(180)
        self._smart: dict[int, SmartCollection] = {}
        self.itemClicked.connect(lambda item: self.chosen.emit(self._smart.get(item.data(SmartIdRole))))

    def set_smart_collections(self, items: list[SmartCollection]) -> None:
        keep = self.current_id()
        self.clear()
        self._smart = {s.id: s for s in items}
        for smart in items:
            item = QListWidgetItem(f"{smart.name}  ·  {smart.count:,}")
            item.setData(SmartIdRole, smart.id)
            item.setToolTip(f"{smart.query}\n{smart.count:,} textures in every collection you can read")
            self.addItem(item)
            if smart.id == keep:
                self.setCurrentItem(item)
        self.setVisible(bool(items))

    def current_id(self) -> int | None:
        item = self.currentItem()
        return item.data(SmartIdRole) if item is not None else None

    def current(self) -> SmartCollection | None:
        return self._smart.get(self.current_id())
