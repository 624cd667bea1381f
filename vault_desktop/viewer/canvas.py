"""The viewer's canvas: the texture (or its N×N repeat) at any zoom, painted from display tiles.

Geometry: ``scale`` is screen pixels per texture pixel; ``center`` is the point of the tiled plane
(N·W × N·H texture pixels) at the middle of the widget. The pyramid level drawn is the coarsest
one still at least as sharp as the screen. Until a tile arrives, the proxy (the thumbnail, then the
pyramid's smallest level) is drawn under it, so the picture never goes blank.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from server_api.imaging.seams import VISIBLE_SEAM, SeamScore
from vault_desktop.checkerboard import checkerboard_brush
from vault_desktop.viewer.loading import TILE
from vault_desktop.viewer.tiles import Key, TileStore

MIN_SCALE, MAX_SCALE = 1 / 256, 64.0
ZOOM_STEP = 1.25


def seam_colour(score: float) -> QColor:
    if score >= VISIBLE_SEAM:
        return QColor(255, 64, 64, 230)
    if score >= (1 + VISIBLE_SEAM) / 2:
        return QColor(255, 190, 40, 200)
    return QColor(80, 220, 120, 150)


class ViewerCanvas(QWidget):
    hovered = Signal(int, int)  # texture pixel under the cursor (x, y), or (-1, -1) when outside
    viewChanged = Signal()

    def __init__(self, tiles: TileStore, parent=None):
        super().__init__(parent)
        self.tiles = tiles
        tiles.arrived.connect(self.update)
        self.setMinimumSize(320, 240)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.image_size = (0, 0)
        self.top_level = 0
        self.repeat = 1
        self.seam: SeamScore | None = None
        self.show_seams = True
        self.checker = False
        self.scale, self.center = 1.0, QPointF(0, 0)
        self._proxy: QImage | None = None
        self._drag_from: QPointF | None = None
        self._checker = checkerboard_brush()
        self._fitted = True

    # ---- what is shown ----------------------------------------------------------------------
    def set_picture(self, width: int, height: int, top_level: int, proxy: QImage | None) -> None:
        self.image_size, self.top_level, self._proxy = (width, height), top_level, proxy
        self.fit()

    def set_proxy(self, proxy: QImage | None) -> None:
        self._proxy = proxy
        self.update()

    def set_repeat(self, n: int) -> None:
        self.repeat = max(1, min(3, n))
        self.fit() if self._fitted else self.update()

    # ---- zoom and pan -----------------------------------------------------------------------
    def plane_size(self) -> tuple[int, int]:
        return self.image_size[0] * self.repeat, self.image_size[1] * self.repeat

    def fit(self) -> None:
        pw, ph = self.plane_size()
        if pw and ph and self.width() > 0 and self.height() > 0:
            self._set(min(self.width() / pw, self.height() / ph) * 0.96, QPointF(pw / 2, ph / 2))
        self._fitted = True

    def actual_size(self) -> None:
        self._set(1.0, self.center)

    def zoom_at(self, pos: QPointF, factor: float) -> None:
        """Zoom about ``pos`` (widget coordinates): the point under the cursor stays put."""
        anchor = self.to_plane(pos)
        scale = max(MIN_SCALE, min(MAX_SCALE, self.scale * factor))
        self._set(scale, QPointF(anchor.x() - (pos.x() - self.width() / 2) / scale,
                                 anchor.y() - (pos.y() - self.height() / 2) / scale))

    def pan(self, dx: float, dy: float) -> None:
        """Move the picture by (dx, dy) screen pixels."""
        self._set(self.scale, QPointF(self.center.x() - dx / self.scale, self.center.y() - dy / self.scale))

    def _set(self, scale: float, center: QPointF) -> None:
        self.scale, self.center = scale, center
        self._fitted = False
        self.update()
        self.viewChanged.emit()

    def to_plane(self, pos: QPointF) -> QPointF:
        return QPointF(self.center.x() + (pos.x() - self.width() / 2) / self.scale,
                       self.center.y() + (pos.y() - self.height() / 2) / self.scale)

    def texture_pixel(self, pos: QPointF) -> tuple[int, int] | None:
        p, (w, h) = self.to_plane(pos), self.image_size
        pw, ph = self.plane_size()
        if not w or not (0 <= p.x() < pw and 0 <= p.y() < ph):
            return None
        return int(p.x()) % w, int(p.y()) % h

    def level(self) -> int:
        """Coarsest pyramid level whose pixels are still no bigger than a screen pixel."""
        if self.scale >= 1:
            return 0
        return max(0, min(self.top_level, int(math.floor(math.log2(1 / self.scale)))))

    # ---- painting ---------------------------------------------------------------------------
    def visible_keys(self) -> list[Key]:
        """Tiles of the current level the widget shows (each once, however often it repeats)."""
        w, h = self.image_size
        if not w:
            return []
        level = self.level()
        span = TILE << level
        top_left = self.to_plane(QPointF(0, 0))
        bottom_right = self.to_plane(QPointF(self.width(), self.height()))
        keys: dict[Key, None] = {}
        for i in range(self.repeat):
            for j in range(self.repeat):
                x0, y0 = max(0.0, top_left.x() - i * w), max(0.0, top_left.y() - j * h)
                x1, y1 = min(float(w), bottom_right.x() - i * w), min(float(h), bottom_right.y() - j * h)
                if x1 <= x0 or y1 <= y0:
                    continue
                for ty in range(int(y0 // span), int(math.ceil(y1 / span))):
                    for tx in range(int(x0 // span), int(math.ceil(x1 / span))):
                        keys[(level, tx, ty)] = None
        return list(keys)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#141517"))
        w, h = self.image_size
        if w:
            keys = self.visible_keys()
            self.tiles.request(keys)
            p.translate(self.width() / 2, self.height() / 2)
            p.scale(self.scale, self.scale)
            p.translate(-self.center)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.scale < 1)
            for i in range(self.repeat):
                for j in range(self.repeat):
                    self._paint_copy(p, i * w, j * h, keys)
            if self.repeat > 1 and self.show_seams and self.seam is not None:
                self._paint_seams(p)
        p.end()

    def _paint_copy(self, p: QPainter, ox: float, oy: float, keys: list[Key]) -> None:
        w, h = self.image_size
        whole = QRectF(ox, oy, w, h)
        if self.checker:  # alpha over a checkerboard fixed to the screen, as paint programs do
            p.save()
            p.resetTransform()
            p.fillRect(self._to_screen(whole), self._checker)
            p.restore()
        if self._proxy is not None and not all(self.tiles.tile(k) is not None for k in keys):
            p.drawImage(whole, self._proxy)
        for level, tx, ty in keys:
            image = self.tiles.tile((level, tx, ty))
            if image is None:
                continue
            span = TILE << level
            target = QRectF(ox + tx * span, oy + ty * span, image.width() << level, image.height() << level)
            p.drawImage(target, image)

    def _to_screen(self, rect: QRectF) -> QRectF:
        s, c = self.scale, self.center
        return QRectF(self.width() / 2 + (rect.x() - c.x()) * s, self.height() / 2 + (rect.y() - c.y()) * s,
                      rect.width() * s, rect.height() * s).intersected(QRectF(self.rect()))

    def _paint_seams(self, p: QPainter) -> None:
        w, h = self.image_size
        pw, ph = self.plane_size()
        for n in range(1, self.repeat):
            pen = QPen(seam_colour(self.seam.x), 2)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.drawLine(QPointF(n * w, 0), QPointF(n * w, ph))
            pen = QPen(seam_colour(self.seam.y), 2)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.drawLine(QPointF(0, n * h), QPointF(pw, n * h))

    # ---- mouse ------------------------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_at(event.position(), ZOOM_STEP ** steps)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()

    def mouseMoveEvent(self, event) -> None:
        if self._drag_from is not None:
            delta = event.position() - self._drag_from
            self._drag_from = event.position()
            self.pan(delta.x(), delta.y())
        pixel = self.texture_pixel(event.position())
        self.hovered.emit(*(pixel if pixel else (-1, -1)))

    def mouseReleaseEvent(self, _event) -> None:
        self._drag_from = None

    def leaveEvent(self, _event) -> None:
        self.hovered.emit(-1, -1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()
