"""The bar above the grid: the query box (debounced; the query language of store/query), format /
size / depth / alpha / QA findings, sort; and zoom.

Everything here becomes one TextureQuery for the store; the bar itself filters nothing. The combos
add query terms (``format:PNG``) to what is typed, so there is one query, not two filters.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QToolButton,
    QVBoxLayout,
)

from server_api.core.errors import VaultError
from server_api.imaging.formats import FORMAT_NAMES
from server_api.store.entities import TextureQuery
from server_api.store.query import parse
from vault_desktop.settings import ZOOM_MAX, ZOOM_MIN
from vault_desktop.views.query_completer import QueryCompleter

DEBOUNCE_MS = 150
FORMATS = FORMAT_NAMES  # the one table of accepted formats (server_api/imaging/formats.py)
# label → the query term it adds. Each first entry names the filter and means "any", which keeps
# the bar narrow.
SIZES = {"Size": "", "Under 512": "size:<512", "512 and up": "size:>=512",
         "1K and up": "size:>=1024", "2K and up": "size:>=2048", "4K and up": "size:>=4096"}
DEPTHS = {"Depth": "", "8-bit": "depth:8", "16-bit": "depth:16", "32-bit": "depth:32"}
ALPHA = {"Alpha": "", "With alpha": "alpha:yes", "No alpha": "alpha:no"}
QA = {"QA": "", "QA: errors": "qa:errors", "QA: warnings": "qa:warnings", "QA: clean": "qa:none"}
# "nearest" (rank): nearest first to the query's similar:/colour: term (name order without one); Find
# similar and Search by colour pick it, and it stays until the user picks another sort.
SORTS = {"Sort: name": "name", "Sort: date": "date", "Sort: size": "size", "Sort: nearest": "rank"}


class FilterBar(QFrame):
    queryChanged = Signal(object)  # TextureQuery
    scopeChanged = Signal(bool)  # True: search every collection the user can read
    zoomChanged = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Filter: words, tag:wood, format:png, size:>=2048, -wip  (Ctrl+F)")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(240)  # the main control: the combos give way before it does
        self.completer = QueryCompleter(self.text)  # fields, tags (set_tags), formats, roles
        self.format = self._combo(["Format", *FORMATS])
        self.size = self._combo(list(SIZES))
        self.depth = self._combo(list(DEPTHS))
        self.alpha = self._combo(list(ALPHA))
        self.qa = self._combo(list(QA))
        self.qa.setToolTip("What the collection's QA rules found on the current version")
        self.sort = self._combo(list(SORTS))
        self.sort.setToolTip("Sort by name, date, file size, or nearest first (similar: and colour:)")
        self.descending = QToolButton(self)
        self.descending.setCheckable(True)
        self.descending.setText("↑")
        self.descending.setToolTip("Ascending / descending")
        self.descending.toggled.connect(self._direction_toggled)
        self.everywhere = QToolButton(self)
        self.everywhere.setObjectName("searchEverywhere")
        self.everywhere.setCheckable(True)
        self.everywhere.setText("Everywhere")
        self.everywhere.setToolTip("Search every collection you can read, not only this one")
        self.everywhere.toggled.connect(self.scopeChanged)
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

        self.error = QLabel(self)  # a malformed query, named, under the box
        self.error.setObjectName("queryError")
        self.error.setStyleSheet("color: #e06c60;")
        self.error.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # Two rows, so the window still fits a laptop screen: the query and its scope on top, the
        # filter combos and sorting under it (one row needed 1,700 px once QA, colour and the bell came).
        search, filters = QFrame(self), QFrame(self)
        outer.addWidget(search)
        outer.addWidget(filters)
        outer.addWidget(self.error)
        layout = QHBoxLayout(search)
        layout.setContentsMargins(10, 6, 10, 2)
        layout.setSpacing(6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.everywhere)
        self._row = layout
        below = QHBoxLayout(filters)
        below.setContentsMargins(10, 2, 10, 6)
        below.setSpacing(6)
        for w in (self.format, self.size, self.depth, self.alpha, self.qa):
            below.addWidget(w)
        below.addStretch(1)
        below.addWidget(self.sort)
        below.addWidget(self.descending)

    def add_leading(self, widget) -> None:
        """A widget before the query box (the Materials / Textures toggle: controllers/materials.py)."""
        self._row.insertWidget(0, widget)

    def add_trailing(self, widget) -> None:
        """A widget at the row's end (the notification bell: controllers/notifications.py)."""
        self._row.addWidget(widget)

    def show_search(self, text: str, *, everywhere: bool, sort: str | None = None) -> None:
        """Put a saved query in the box and its scope on the button (a smart collection chosen);
        ``sort`` (a SORTS value), when given, becomes the sort too (nearest first for Find similar)."""
        self.everywhere.blockSignals(True)
        self.everywhere.setChecked(everywhere)
        self.everywhere.blockSignals(False)
        if sort is not None:
            self.sort.blockSignals(True)
            self.sort.setCurrentText(next(label for label, key in SORTS.items() if key == sort))
            self.descending.blockSignals(True)
            self.descending.setChecked(False)  # nearest first
            self.descending.setText("↑")
            self.descending.blockSignals(False)
            self.sort.blockSignals(False)
        self.text.setText(text)
        self._debounce.stop()
        self._emit()

    def _combo(self, items: list[str]) -> QComboBox:
        combo = QComboBox(self)
        combo.addItems(items)
        # As wide as its title ("Size"), not its longest choice: the popup still shows every choice whole.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(max(len(items[0]), 5))
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def _direction_toggled(self, on: bool) -> None:
        self.descending.setText("↓" if on else "↑")
        self._emit()

    def query(self) -> TextureQuery:
        """The typed query with the combos' terms; a malformed one shows its error and filters by
        the combos alone until it is fixed."""
        typed = self.text.text().strip()
        try:
            parse(typed)
            self.error.hide()
        except VaultError as exc:
            self.error.setText(exc.message)
            self.error.show()
            typed = ""
        fmt = self.format.currentText()
        terms = ["" if fmt == "Format" else f"format:{fmt}", SIZES[self.size.currentText()],
                 DEPTHS[self.depth.currentText()], ALPHA[self.alpha.currentText()], QA[self.qa.currentText()]]
        if typed and any(terms):
            typed = f"({typed})"  # an OR typed in the box must not swallow the combos' terms
        return TextureQuery(
            text=" ".join(t for t in (typed, *terms) if t),
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
