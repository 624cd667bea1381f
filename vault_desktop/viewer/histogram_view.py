"""A small per-channel histogram of stored values (square-root heights, so dark tails still show)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from server_api.imaging.histogram import Histogram

_COLOURS = {"R": "#ff5a5a", "G": "#5ad75a", "B": "#5a8cff", "A": "#d0d0d0", "L": "#e6e6e6"}


class HistogramView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.histogram: Histogram | None = None
        self.setMinimumSize(220, 90)

    def set_histogram(self, histogram: Histogram | None) -> None:
        self.histogram = histogram
        self.setToolTip("" if histogram is None else
                        f"{histogram.channels}: {histogram.low:g} … {histogram.high:g} (stored values)")
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1b1c1f"))
        h = self.histogram
        if h is not None:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            peak = max((max(c[1:-1] or c) for c in h.counts), default=0) or 1  # ends often spike (clipping)
            width, height = self.width(), self.height() - 2
            for name, counts in zip(h.channels, h.counts, strict=True):
                path = QPainterPath(QPointF(0, height))
                for i, n in enumerate(counts):
                    y = height - min(1.0, math.sqrt(n / peak)) * (height - 4)
                    path.lineTo(QPointF(i * width / (len(counts) - 1), y))
                colour = QColor(_COLOURS.get(name, "#e6e6e6"))
                p.setPen(QPen(colour, 1.2))
                p.drawPath(path)
        else:
            p.setPen(QColor("#777"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "histogram")
        p.end()
