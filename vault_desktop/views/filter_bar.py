"""The bar above the grid: name filter (debounced), format / size / depth / alpha, sort; and zoom.

Everything here becomes one TextureQuery for the store; the bar itself filters nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLineEdit, QSlider, QToolButton

from server_api.imaging.formats import FORMAT_NAMES
from server_api.store.entities import TextureQuery
from vault_desktop.settings import ZOOM_MAX, ZOOM_MIN

DEBOUNCE_MS = 150
FORMATS = FORMAT_NAMES  # the one table of accepted formats (server_api/imaging/formats.py)
# label → (min side, max side) in pixels, applied to both width and height limits.
# Each first entry names the filter and means "any", which keeps the bar narrow.
SIZES = {"Size": (None, None), "Under 512": (None, 511), "512 and up": (512, None),
         "1K and up": (1024, None), "2K and up": (2048, None), "4K and up": (4096, None)}
DEPTHS = {"Depth": (), "8-bit": (8,), "16-bit": (16,), "32-bit": (32,)}
ALPHA = {"Alpha": None, "With alpha": True, "No alpha": False}
SORTS = {"Sort: name": "name", "Sort: date": "date", "Sort: size": "size"}


class FilterBar(QFrame):
    queryChanged = Signal(object)  # TextureQuery
    zoomChanged = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Filter by name  (Ctrl+F)")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(140)
        self.format = self._combo(["Format", *FORMATS])
        self.size = self._combo(list(SIZES))
        self.depth = self._combo(list(DEPTHS))
        self.alpha = self._combo(list(ALPHA))
        self.sort = self._combo(list(SORTS))
        self.sort.setToolTip("Sort by name, date or file size")
        self.descending = QToolButton(self)
        self.descending.setCheckable(True)
        self.descending.setText("↑")
        self.descending.setToolTip("Ascending / descending")
        self.descending.toggled.connect(self._direction_toggled)
        self.zoom = QSlider(Qt.Orientation.Horizontal)  # shown in the status bar by the window
        self.zoom.setRange(ZOOM_MIN, ZOOM_MAX)
        self.zoom.setSingleStep(16)
        self.zoom.setPageStep(64)
        self.zoom.setFixedWidth(140)
        self.zoom.setToolTip("Thumbnail size (Ctrl+= / Ctrl+-)")
        self.zoom.valueChanged.connect(self.zoomChanged)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.text.textChanged.connect(self._debounce.start)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(6)
        layout.addWidget(self.text, 2)
        for w in (self.format, self.size, self.depth, self.alpha):
            layout.addWidget(w)
        layout.addSpacing(8)
        layout.addWidget(self.sort)
        layout.addWidget(self.descending)

    def _combo(self, items: list[str]) -> QComboBox:
        combo = QComboBox(self)
        combo.addItems(items)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def _direction_toggled(self, on: bool) -> None:
        self.descending.setText("↓" if on else "↑")
        self._emit()

    def query(self) -> TextureQuery:
        fmt = self.format.currentText()
        low, high = SIZES[self.size.currentText()]
        return TextureQuery(
            text=self.text.text().strip(),
            formats=() if fmt == "Format" else (fmt,),
            min_width=low, min_height=low, max_width=high, max_height=high,
            has_alpha=ALPHA[self.alpha.currentText()],
            bit_depths=DEPTHS[self.depth.currentText()],
            sort=SORTS[self.sort.currentText()],
            descending=self.descending.isChecked(),
        )

    def flush(self) -> None:
        """Apply a pending text change now (Enter in the box, tests)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._emit()

    def _emit(self) -> None:
        self.queryChanged.emit(self.query())
