"""A zoomable, pannable image canvas; canvases sharing one ViewState move together."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

MIN_SCALE, MAX_SCALE = 0.02, 32.0


class ViewState(QObject):
    """Zoom (screen pixels per image pixel) and the image point shown at the canvas centre."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scale = 1.0
        self.center = QPointF(0, 0)

    def set(self, scale: float, center: QPointF) -> None:
        self.scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        self.center = QPointF(center)
        self.changed.emit()

    def fit(self, image_w: int, image_h: int, view_w: int, view_h: int) -> None:
        if image_w and image_h and view_w > 0 and view_h > 0:
            self.set(min(view_w / image_w, view_h / image_h) * 0.95, QPointF(image_w / 2, image_h / 2))


class ImageCanvas(QWidget):
    """Paints ``first``; in swipe mode ``second`` right of the split line."""

    def __init__(self, state: ViewState, caption: str = "", parent=None):
        super().__init__(parent)
        self.state = state
        self.caption = caption
        self.second_caption = ""
        self.first: QImage | None = None
        self.second: QImage | None = None
        self.split = 0.5  # swipe position, 0..1 of the width
        self._drag_from: QPointF | None = None
        self.setMinimumSize(200, 200)
        self.setMouseTracking(False)
        state.changed.connect(self.update)

    def set_images(self, first: QImage | None, second: QImage | None = None, caption: str = "",
                   second_caption: str = "") -> None:
        self.first, self.second = first, second
        self.caption, self.second_caption = caption, second_caption
        self.update()

    def set_split(self, fraction: float) -> None:
        self.split = max(0.0, min(1.0, fraction))
        self.update()

    def to_image(self, pos: QPointF) -> QPointF:
        s = self.state
        return QPointF(s.center.x() + (pos.x() - self.width() / 2) / s.scale,
                       s.center.y() + (pos.y() - self.height() / 2) / s.scale)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#141517"))
        if self.first is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.state.scale < 1)
            p.save()
            p.translate(self.width() / 2, self.height() / 2)
            p.scale(self.state.scale, self.state.scale)
            p.translate(-self.state.center)
            p.drawImage(0, 0, self.first)
            p.restore()
            if self.second is not None:
                x = self.width() * self.split
                p.save()
                p.setClipRect(QRectF(x, 0, self.width() - x, self.height()))
                p.translate(self.width() / 2, self.height() / 2)
                p.scale(self.state.scale, self.state.scale)
                p.translate(-self.state.center)
                p.drawImage(0, 0, self.second)
                p.restore()
                p.setPen(QPen(QColor("#ffffff"), 2))
                p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        if self.caption:
            self._label(p, self.caption, right=False)
        if self.second_caption and self.second is not None:
            self._label(p, self.second_caption, right=True)
        p.end()

    def _label(self, p: QPainter, text: str, right: bool) -> None:
        width = p.fontMetrics().horizontalAdvance(text) + 16
        box = QRectF(self.width() - width - 8 if right else 8, 8, width, 24)
        p.fillRect(box, QColor(0, 0, 0, 150))
        p.setPen(QColor("#e6e6e6"))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def wheelEvent(self, event) -> None:
        """Zoom about the point under the cursor, so it stays where the artist looks."""
        steps = event.angleDelta().y() / 120
        if not steps:
            return
        pos = event.position()
        anchor = self.to_image(pos)
        scale = self.state.scale * (1.25 ** steps)
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        center = QPointF(anchor.x() - (pos.x() - self.width() / 2) / scale,
                         anchor.y() - (pos.y() - self.height() / 2) / scale)
        self.state.set(scale, center)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()

    def mouseMoveEvent(self, event) -> None:
        if self._drag_from is None:
            return
        delta = event.position() - self._drag_from
        self._drag_from = event.position()
        s = self.state
        center = QPointF(s.center.x() - delta.x() / s.scale, s.center.y() - delta.y() / s.scale)
        self.state.set(s.scale, center)

    def mouseReleaseEvent(self, _event) -> None:
        self._drag_from = None
