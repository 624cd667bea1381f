"""Paints a row's progress as a thin bar, the way file managers show copies."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from .queue_model import ProgressRole
from .rows import FAILED, REJECTED

BAR_HEIGHT = 6
DONE_COLOR = QColor("#4caf7a")
ERROR_COLOR = QColor("#e0645c")


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        # Background and selection as any cell, without the "42%" text.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.widget.style().drawControl(opt.widget.style().ControlElement.CE_ItemViewItem, opt,
                                       painter, opt.widget)
        fraction = float(index.data(ProgressRole) or 0.0)
        state = index.siblingAtColumn(1).data()
        rect = option.rect.adjusted(6, 0, -6, 0)
        bar = QRect(rect.left(), rect.center().y() - BAR_HEIGHT // 2, rect.width(), BAR_HEIGHT)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(bar, 3, 3)
        if state in (REJECTED, FAILED):
            color, fraction = ERROR_COLOR, 1.0
        elif fraction >= 1.0:
            color = DONE_COLOR
        else:
            color = option.palette.color(QPalette.ColorRole.Highlight)
        if fraction > 0:
            filled = QRect(bar)
            filled.setWidth(max(BAR_HEIGHT, round(bar.width() * min(1.0, fraction))))
            painter.setBrush(color)
            painter.drawRoundedRect(filled, 3, 3)
        painter.restore()
