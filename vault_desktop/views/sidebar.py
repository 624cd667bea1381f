"""The collection sidebar: name on one line, "1,204 textures · write · shared" below it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QLabel, QListView, QStyle, QStyledItemDelegate, QVBoxLayout, QWidget

from vault_desktop.models.collections import CollectionListModel
from vault_desktop.models.roles import SubtitleRole
from vault_desktop.theme import paint_color


class _TwoLineDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index) -> QSize:
        return QSize(180, QFontMetrics(option.font).height() * 2 + 16)

    def paint(self, painter: QPainter, option, index) -> None:
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, paint_color("tile_selected"))
        rect = option.rect.adjusted(12, 6, -8, -6)
        metrics = QFontMetrics(option.font)
        half = rect.height() // 2
        painter.setPen(paint_color("text"))
        name = metrics.elidedText(index.data() or "", Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), half),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        small = option.font
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        painter.setPen(paint_color("subtle"))
        sub = QFontMetrics(small).elidedText(index.data(SubtitleRole) or "", Qt.TextElideMode.ElideRight,
                                             rect.width())
        painter.drawText(QRect(rect.left(), rect.top() + half, rect.width(), half),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, sub)
        painter.restore()


class CollectionSidebar(QWidget):
    collectionSelected = Signal(object)  # Collection | None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = CollectionListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("collectionSidebar")
        self.list.setModel(self.model)
        self.list.setItemDelegate(_TwoLineDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        title = QLabel("COLLECTIONS", self)
        title.setObjectName("sectionTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(title)
        layout.addWidget(self.list)
        self.setMinimumWidth(170)
        self._layout = layout

    def add_section(self, *widgets) -> None:
        """Widgets under the collections (the smart collections: controllers/smart_collections.py)."""
        for widget in widgets:
            self._layout.addWidget(widget)

    def set_collections(self, items, keep_id: int | None = None) -> None:
        """Replace the list, then re-select ``keep_id`` (or the first collection)."""
        self.list.selectionModel().blockSignals(True)
        self.model.set_collections(items)
        self.list.selectionModel().blockSignals(False)
        row = self.model.row_of(keep_id) if keep_id is not None else None
        if row is None and self.model.rowCount() > 0:
            row = 0
        if row is None:
            self.collectionSelected.emit(None)
        else:
            self.list.setCurrentIndex(self.model.index(row))  # emits through currentChanged

    def select(self, collection_id: int) -> None:
        row = self.model.row_of(collection_id)
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))

    def current(self):
        index = self.list.currentIndex()
        return self.model.collection_at(index.row()) if index.isValid() else None

    def _current_changed(self, index, _previous=None) -> None:
        self.collectionSelected.emit(self.model.collection_at(index.row()) if index.isValid() else None)
