"""The version timeline: thumbnails with number, who, when, size and note; current/published badges.

Buttons act on the selected version(s); dropping files on the list adds them as new versions.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from vault_desktop.models.roles import BadgesRole, EntityRole, SubtitleRole, ThumbnailRole
from vault_desktop.models.timeline import VersionTimelineModel
from vault_desktop.theme import paint_color
from vault_desktop.views.drop_paths import local_paths

THUMB = 64


class _VersionDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index) -> QSize:
        return QSize(260, THUMB + 14)

    def paint(self, painter: QPainter, option, index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, paint_color("tile_selected"))
        r = option.rect.adjusted(8, 7, -8, -7)
        thumb_rect = QRect(r.left(), r.top(), THUMB, THUMB)
        pixmap = index.data(ThumbnailRole)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            scaled = pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            painter.drawPixmap(thumb_rect.left() + (THUMB - scaled.width()) // 2,
                               thumb_rect.top() + (THUMB - scaled.height()) // 2, scaled)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(paint_color("placeholder"))
            painter.drawRoundedRect(thumb_rect, 4, 4)

        x = thumb_rect.right() + 12
        width = r.right() - x
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(paint_color("text"))
        title = index.data() or ""
        painter.drawText(x, r.top() + 16, title)
        badge_x = x + QFontMetrics(bold).horizontalAdvance(title) + 10
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.8))
        for badge in index.data(BadgesRole) or ():
            badge_x = self._badge(painter, small, badge, badge_x, r.top() + 3)
        painter.setFont(option.font)
        painter.setPen(paint_color("subtle"))
        metrics = QFontMetrics(option.font)
        painter.drawText(x, r.top() + 36, metrics.elidedText(index.data(SubtitleRole) or "",
                                                             Qt.TextElideMode.ElideRight, width))
        version = index.data(EntityRole)
        note = version.note if version is not None else ""
        if note:
            painter.setPen(paint_color("text"))
            note = metrics.elidedText(f"“{note}”", Qt.TextElideMode.ElideRight, width)
            painter.drawText(x, r.top() + 56, note)
        painter.restore()

    def _badge(self, painter: QPainter, font: QFont, text: str, x: int, y: int) -> int:
        metrics = QFontMetrics(font)
        rect = QRect(x, y, metrics.horizontalAdvance(text.upper()) + 12, metrics.height() + 4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(paint_color("accent" if text == "current" else "published"))
        painter.drawRoundedRect(rect, 4, 4)
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.white)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text.upper())
        return rect.right() + 6


class _TimelineList(QListView):
    """A list that takes file drops (as new versions) anywhere on it."""

    filesDropped = Signal(list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, event) -> None:
        event.acceptProposedAction() if local_paths(event.mimeData()) else event.ignore()

    def dragMoveEvent(self, event) -> None:
        event.acceptProposedAction() if local_paths(event.mimeData()) else event.ignore()

    def dropEvent(self, event) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)


class TimelinePanel(QWidget):
    makeCurrentRequested = Signal(object)  # Version
    publishRequested = Signal()
    saveAsRequested = Signal(object)  # Version
    compareRequested = Signal(object, object)  # older Version, newer Version
    filesDropped = Signal(list)
    viewRequested = Signal(object)  # Version: a double click or Space opens it in the viewer

    def __init__(self, model: VersionTimelineModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.list = _TimelineList(self)
        self.list.setObjectName("timeline")
        self.list.setModel(model)
        self.list.setItemDelegate(_VersionDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.filesDropped.connect(self.filesDropped)
        self.list.doubleClicked.connect(lambda i: self.viewRequested.emit(self.model.version_at(i.row())))
        view = QShortcut(QKeySequence(Qt.Key.Key_Space), self.list, context=Qt.ShortcutContext.WidgetShortcut)
        view.activated.connect(lambda: self._with_selected(self.viewRequested.emit))
        self.make_current = QPushButton("Make current", self)
        self.publish = QPushButton("Publish…", self)
        self.publish.setToolTip("Write the current version to the texture's original path")
        self.save_as = QPushButton("Save as…", self)
        self.compare = QPushButton("Compare", self)
        self.compare.setToolTip("Compare two selected versions (or the selected one with the current)")
        self.make_current.clicked.connect(lambda: self._with_selected(self.makeCurrentRequested.emit))
        self.save_as.clicked.connect(lambda: self._with_selected(self.saveAsRequested.emit))
        self.publish.clicked.connect(self.publishRequested)
        self.compare.clicked.connect(self._compare_clicked)
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        model.modelReset.connect(self._update_buttons)
        buttons = QGridLayout()  # two rows: the panel stays narrow beside a wide grid
        buttons.setSpacing(6)
        for i, b in enumerate((self.make_current, self.publish, self.save_as, self.compare)):
            buttons.addWidget(b, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        self._can_write = False
        self._update_buttons()

    def set_can_write(self, can: bool) -> None:
        self._can_write = can
        self._update_buttons()

    def selected_versions(self) -> list:
        rows = sorted(i.row() for i in self.list.selectionModel().selectedIndexes())
        return [v for v in (self.model.version_at(r) for r in rows) if v is not None]

    def select_version(self, version_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.version_at(row).id == version_id:
                self.list.setCurrentIndex(self.model.index(row))
                return

    def _with_selected(self, emit) -> None:
        chosen = self.selected_versions()
        if chosen:
            emit(chosen[0])

    def _compare_clicked(self) -> None:
        chosen = self.selected_versions()
        if len(chosen) == 1:
            current = next((self.model.version_at(r) for r in range(self.model.rowCount())
                            if self.model.version_at(r).is_current), None)
            chosen = [chosen[0], current] if current is not None and current.id != chosen[0].id else []
        if len(chosen) >= 2:
            a, b = sorted(chosen[:2], key=lambda v: v.number)
            self.compareRequested.emit(a, b)

    def _update_buttons(self, *_args) -> None:
        chosen = self.selected_versions()
        has_texture = self.model.texture is not None
        self.make_current.setEnabled(self._can_write and len(chosen) == 1 and not chosen[0].is_current)
        self.publish.setEnabled(self._can_write and has_texture)
        self.save_as.setEnabled(len(chosen) == 1)
        self.compare.setEnabled(len(chosen) == 2 or (len(chosen) == 1 and not chosen[0].is_current))
