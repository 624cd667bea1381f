"""Similar-image and colour search from the window (issue 14): both are queries of the one query
language, put in the filter box, so the grid, the count and the "Save search" all work as usual.

- *Find similar* on a tile's context menu searches every collection for ``similar:ID``.
- The filter bar's colour button opens a colour picker; the colour chosen becomes ``colour:#rrggbb``
  in the filter box (replacing a colour already there, keeping the other words).
Both sort the grid nearest first ("Sort: nearest", the store's rank sort: each tile shows its distance)
until the user picks another sort.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QColorDialog, QToolButton

from vault_desktop.controllers.tile_menu import TileMenuController
from vault_desktop.views.filter_bar import FilterBar
from vault_desktop.window_context import WindowContext

_COLOUR_TERM = re.compile(r"(?<!\S)colour:\S*")


def with_colour(text: str, colour: QColor) -> str:
    """``text`` with its colour: term (if any) replaced by ``colour``'s."""
    term = f"colour:{colour.name()}"  # #rrggbb, lower case
    kept = _COLOUR_TERM.sub("", text).split()
    return " ".join([*kept, term])


class SimilarSearchController(QObject):
    def __init__(self, context: WindowContext, filter_bar: FilterBar, tile_menu: TileMenuController):
        super().__init__(context)
        self.context, self.filter_bar, self.grid = context, filter_bar, tile_menu.grid
        parent = context.dialog_parent
        self.find_action = QAction("Find &similar", parent)
        self.find_action.setToolTip("Textures that look like this one, in every collection you can read")
        self.find_action.triggered.connect(self.find_similar_to_current)
        tile_menu.add_tile_action(self.find_action)
        self.colour_button = QToolButton(filter_bar)
        self.colour_button.setObjectName("searchByColour")
        self.colour_button.setText("Colour…")
        self.colour_button.setToolTip("Search by colour: textures with much of the colour you pick")
        self.colour_button.clicked.connect(self.pick_colour)
        filter_bar.add_trailing(self.colour_button)
        self.dialog: QColorDialog | None = None

    def find_similar_to_current(self) -> None:
        texture_id = self.grid.current_texture_id()
        if texture_id is not None:
            self.find_similar(texture_id)

    def find_similar(self, texture_id: int) -> None:
        self.filter_bar.show_search(f"similar:{texture_id}", everywhere=True, sort="rank")

    def pick_colour(self) -> None:
        """A colour picker, not blocking the window; the colour chosen goes into the filter box."""
        if self.dialog is None:
            self.dialog = QColorDialog(self.context.dialog_parent)
            self.dialog.setWindowTitle("Search by colour")
            self.dialog.colorSelected.connect(self.search_colour)
        self.dialog.open()

    def search_colour(self, colour: QColor) -> None:
        if colour.isValid():
            bar = self.filter_bar
            bar.show_search(with_colour(bar.text.text(), colour), everywhere=bar.everywhere.isChecked(),
                            sort="rank")
