"""The bell: a tool button with the unread count, and a popup listing the notifications (unread
ones bold). Choosing one asks to show its texture."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from server_api.store.review_entities import MAX_UNREAD, Notification, Notifications


class NotificationBell(QToolButton):
    opened = Signal()  # the popup was shown: the caller marks what it shows read
    chosen = Signal(object)  # a Notification

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notificationBell")
        self.setAutoRaise(True)
        self.setIcon(bell_icon(self.palette().buttonText().color()))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setToolTip("Notifications: comments, reviews and new versions on your textures")
        self.popup = _Popup(self)
        self.popup.list.itemActivated.connect(self._activated)
        self.popup.list.itemClicked.connect(self._activated)
        self.clicked.connect(self.open_popup)
        self.unread = 0
        self.show_notifications(Notifications((), 0, 0))

    def show_notifications(self, notes: Notifications) -> None:
        self.unread = notes.unread
        self.setText(unread_text(notes.unread))
        self.popup.show_items(notes.items)

    def open_popup(self) -> None:
        self.popup.adjustSize()
        below = self.mapToGlobal(self.rect().bottomLeft())
        self.popup.move(below.x() - max(0, self.popup.width() - self.width()), below.y())
        self.popup.show()
        self.opened.emit()

    def _activated(self, item: QListWidgetItem) -> None:
        note = item.data(Qt.ItemDataRole.UserRole)
        if note is not None:
            self.popup.hide()
            self.chosen.emit(note)


def unread_text(unread: int) -> str:
    if unread >= MAX_UNREAD:  # the store stops counting there
        return f"{MAX_UNREAD:,}+ new"
    return f"{unread:,} new" if unread else ""


def bell_icon(colour: QColor, side: int = 32) -> QIcon:
    """A bell drawn with paths: no emoji font or icon theme is needed on any platform."""
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    s = side / 32
    body = QPainterPath()
    body.moveTo(16 * s, 4 * s)
    body.cubicTo(9 * s, 4 * s, 8 * s, 11 * s, 8 * s, 16 * s)
    body.lineTo(8 * s, 20 * s)
    body.lineTo(5 * s, 24 * s)
    body.lineTo(27 * s, 24 * s)
    body.lineTo(24 * s, 20 * s)
    body.lineTo(24 * s, 16 * s)
    body.cubicTo(24 * s, 11 * s, 23 * s, 4 * s, 16 * s, 4 * s)
    p.drawPath(body)
    p.drawEllipse(QRectF(13 * s, 24.5 * s, 6 * s, 5 * s))  # the clapper
    p.drawEllipse(QPointF(16 * s, 3.5 * s), 2 * s, 2 * s)  # the knob on top
    p.end()
    return QIcon(pixmap)


class _Popup(QFrame):
    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("notificationList")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(420)
        self.heading = QLabel("<b>Notifications</b>", self)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(260)
        self.empty = QLabel("Nothing yet: comments, reviews and new versions on your textures show here.",
                            self)
        self.empty.setWordWrap(True)
        close = QPushButton("Close", self)
        close.clicked.connect(self.hide)
        layout = QVBoxLayout(self)
        for w in (self.heading, self.list, self.empty, close):
            layout.addWidget(w)

    def show_items(self, items: tuple[Notification, ...]) -> None:
        self.list.clear()
        for note in items:
            when = note.created_at.astimezone()
            item = QListWidgetItem(f"{note.actor} · {when:%d %b %H:%M}\n{note.detail}")
            item.setData(Qt.ItemDataRole.UserRole, note)
            if note.unread:
                font = QFont(self.list.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        self.empty.setVisible(not items)
        self.list.setVisible(bool(items))
