"""The checkerboard drawn under transparent pixels (grid tiles, the viewer), as paint programs do."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QPainter, QPixmap

SQUARE = 8
LIGHT, DARK = "#9a9a9a", "#666666"  # mid greys: neither white nor black content can vanish into them


def checkerboard_brush() -> QBrush:
    pattern = QPixmap(2 * SQUARE, 2 * SQUARE)
    pattern.fill(QColor(LIGHT))
    p = QPainter(pattern)
    p.fillRect(0, 0, SQUARE, SQUARE, QColor(DARK))
    p.fillRect(SQUARE, SQUARE, SQUARE, SQUARE, QColor(DARK))
    p.end()
    return QBrush(pattern)


def over_checkerboard(pixmap: QPixmap) -> QPixmap:
    """An opaque copy of ``pixmap`` with its transparent parts showing the checkerboard."""
    out = QPixmap(pixmap.size())
    p = QPainter(out)
    p.fillRect(out.rect(), checkerboard_brush())
    p.drawPixmap(0, 0, pixmap)
    p.end()
    return out
