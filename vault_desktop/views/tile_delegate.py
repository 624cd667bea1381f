"""Paints one grid tile: the thumbnail centred in a square, the name and a grey subtitle below."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from vault_desktop.models.roles import SubtitleRole, ThumbnailRole
from vault_desktop.theme import paint_color

PADDING = 8
TEXT_LINES_HEIGHT = 38
SCALED_BUDGET_BYTES = 48 * 1024 * 1024


class TileDelegate(QStyledItemDelegate):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._side = 160
        # Scaled pixmaps for the current tile size: scaling 256 px thumbnails on every paint
        # would cost most of a frame; the key includes the source's cacheKey so a new one rescales.
        self._scaled: OrderedDict[tuple[int, int], QPixmap] = OrderedDict()

    def set_tile_side(self, side: int) -> None:
        self._side = side
        self._scaled.clear()

    def tile_size(self) -> QSize:
        return QSize(self._side + 2 * PADDING, self._side + 2 * PADDING + TEXT_LINES_HEIGHT)

    def sizeHint(self, option, index) -> QSize:
        return self.tile_size()

    def paint(self, painter: QPainter, option, index) -> None:
        painter.save()
        rect = option.rect.adjusted(3, 3, -3, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(paint_color("tile_selected" if selected else "tile"))
        painter.drawRoundedRect(rect, 6, 6)

        side = self._side
        image_rect = QRect(rect.left() + (rect.width() - side) // 2, rect.top() + PADDING - 3, side, side)
        pixmap = index.data(ThumbnailRole)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            scaled = self._scaled_pixmap(pixmap)
            x = image_rect.left() + (side - scaled.width()) // 2
            y = image_rect.top() + (side - scaled.height()) // 2
            painter.drawPixmap(x, y, scaled)
        else:
            painter.setBrush(paint_color("placeholder"))
            painter.drawRoundedRect(image_rect, 4, 4)

        text_top = image_rect.bottom() + 6
        text_rect = QRect(rect.left() + PADDING, text_top, rect.width() - 2 * PADDING, 18)
        painter.setPen(paint_color("text"))
        metrics = QFontMetrics(option.font)
        name = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, text_rect.width()))
        sub = index.data(SubtitleRole) or ""
        if sub:
            small = option.font
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
            painter.setFont(small)
            painter.setPen(paint_color("subtle"))
            sub_rect = text_rect.translated(0, 16)
            sub = QFontMetrics(small).elidedText(sub, Qt.TextElideMode.ElideRight, sub_rect.width())
            painter.drawText(sub_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, sub)
        painter.restore()

    def _scaled_pixmap(self, pixmap: QPixmap) -> QPixmap:
        key = (pixmap.cacheKey(), self._side)
        scaled = self._scaled.get(key)
        if scaled is not None:
            self._scaled.move_to_end(key)
            return scaled
        scaled = pixmap.scaled(self._side, self._side, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
        self._scaled[key] = scaled
        while len(self._scaled) * self._side * self._side * 4 > SCALED_BUDGET_BYTES:
            self._scaled.popitem(last=False)  # least recently drawn first
        return scaled
