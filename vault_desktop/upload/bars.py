"""Thin progress bars: one per queue row (a delegate) and one for the whole queue.

Drawn by hand instead of QProgressBar: QProgressBar.setValue repaints at once (measured 10 ms per
call here), while these only schedule an update, so a busy queue costs the event loop nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from .queue_model import ProgressRole
from .rows import FAILED, REJECTED

BAR_HEIGHT = 6
DONE_COLOR = QColor("#4caf7a")
ERROR_COLOR = QColor("#e0645c")
TRACK_COLOR = QColor(128, 128, 128, 70)  # translucent grey: quiet on the dark and the light theme


def paint_bar(painter: QPainter, rect: QRect, fraction: float, palette: QPalette,
              color: QColor | None = None) -> None:
    """A rounded track with the done part filled, vertically centred in ``rect``."""
    bar = QRect(rect.left(), rect.center().y() - BAR_HEIGHT // 2 + 1, rect.width(), BAR_HEIGHT)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(TRACK_COLOR)
    painter.drawRoundedRect(bar, 3, 3)
    if fraction > 0:
        filled = QRect(bar)
        filled.setWidth(max(BAR_HEIGHT, round(bar.width() * min(1.0, fraction))))
        painter.setBrush(color or palette.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(filled, 3, 3)
    painter.restore()


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        opt = QStyleOptionViewItem(option)  # background and selection as any cell, minus the text
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        fraction = float(index.data(ProgressRole) or 0.0)
        state = index.siblingAtColumn(1).data()
        if state in (REJECTED, FAILED):
            color, fraction = ERROR_COLOR, 1.0
        else:
            color = DONE_COLOR if fraction >= 1.0 else None
        paint_bar(painter, option.rect.adjusted(8, 0, -8, 0), fraction, option.palette, color)


class TotalBar(QWidget):
    """The whole queue's progress."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._fraction = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def fraction(self) -> float:
        return self._fraction

    def set_fraction(self, fraction: float) -> None:
        if abs(fraction - self._fraction) >= 0.001:
            self._fraction = fraction
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, BAR_HEIGHT + 6)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        color = DONE_COLOR if self._fraction >= 1.0 else None
        paint_bar(painter, self.rect(), self._fraction, self.palette(), color)
        painter.end()
