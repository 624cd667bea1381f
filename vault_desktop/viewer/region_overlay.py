"""Comment regions over the viewer's picture: draws each commented region (numbered as in the list)
and, while drawing is on, lets the user drag a rectangle that becomes the next comment's region.
A child of the canvas covering it; it follows the canvas's zoom and pan and never changes them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from server_api.store.review_entities import Region

REGION_COLOUR = QColor(255, 196, 0)
PENDING_COLOUR = QColor(80, 200, 255)
MIN_DRAG_PX = 4  # a click is not a region


class RegionOverlay(QWidget):
    regionDrawn = Signal(object)  # Region, in fractions of the image

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas
        self.regions: list[Region] = []  # the shown version's commented regions, in list order
        self.pending: Region | None = None  # drawn, not yet sent
        self._from: QPointF | None = None
        self._to: QPointF | None = None
        self.set_drawing(False)
        canvas.installEventFilter(self)
        canvas.viewChanged.connect(self.update)
        self.setGeometry(canvas.rect())

    def set_drawing(self, on: bool) -> None:
        self.drawing = on
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not on)
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.canvas and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.canvas.rect())
        return False

    # ---- fractions <-> screen ---------------------------------------------------------------
    def to_screen(self, region: Region) -> QRectF:
        w, h = self.canvas.image_size
        c, s = self.canvas.center, self.canvas.scale
        x0 = self.width() / 2 + (region.x * w - c.x()) * s
        y0 = self.height() / 2 + (region.y * h - c.y()) * s
        return QRectF(x0, y0, region.w * w * s, region.h * h * s)

    def to_region(self, a: QPointF, b: QPointF) -> Region | None:
        w, h = self.canvas.image_size
        if not w or not h:
            return None
        pa, pb = self.canvas.to_plane(a), self.canvas.to_plane(b)
        x0, x1 = sorted((min(max(pa.x() / w, 0.0), 1.0), min(max(pb.x() / w, 0.0), 1.0)))
        y0, y1 = sorted((min(max(pa.y() / h, 0.0), 1.0), min(max(pb.y() / h, 0.0), 1.0)))
        if x1 - x0 <= 0 or y1 - y0 <= 0:
            return None
        return Region(round(x0, 4), round(y0, 4), round(x1 - x0, 4), round(y1 - y0, 4))

    # ---- mouse (only while drawing) ---------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._from = self._to = event.position()

    def mouseMoveEvent(self, event) -> None:
        if self._from is not None:
            self._to = event.position()
            self.update()

    def mouseReleaseEvent(self, event) -> None:
        start, self._from = self._from, None
        if start is None:
            return
        end = event.position()
        if abs(end.x() - start.x()) >= MIN_DRAG_PX and abs(end.y() - start.y()) >= MIN_DRAG_PX:
            region = self.to_region(start, end)
            if region is not None:
                self.pending = region
                self.regionDrawn.emit(region)
        self.update()

    # ---- painting ---------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for number, region in enumerate(self.regions, 1):
            self._box(p, self.to_screen(region), REGION_COLOUR, str(number))
        if self._from is not None and self._to is not None:
            self._box(p, QRectF(self._from, self._to).normalized(), PENDING_COLOUR, "")
        elif self.pending is not None:
            self._box(p, self.to_screen(self.pending), PENDING_COLOUR, "new")
        p.end()

    def _box(self, p: QPainter, rect: QRectF, colour: QColor, label: str) -> None:
        p.setPen(QPen(colour, 2))
        p.setBrush(QColor(colour.red(), colour.green(), colour.blue(), 40))
        p.drawRect(rect)
        if label:
            tag = QRectF(rect.left(), rect.top() - 18, max(22.0, 8.0 * len(label) + 10), 18)
            p.fillRect(tag, colour)
            p.setPen(Qt.GlobalColor.black)
            p.drawText(tag, Qt.AlignmentFlag.AlignCenter, label)
