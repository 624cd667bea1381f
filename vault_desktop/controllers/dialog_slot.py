"""One non-modal dialog of a kind at a time: opening a fresh one closes the one shown before."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog


class DialogSlot:
    def __init__(self) -> None:
        self.dialog: QDialog | None = None

    def open(self, make: Callable[[], QDialog]) -> QDialog:
        """Close the shown dialog (if any), then show ``make()``; it deletes itself on close."""
        self.close()
        dialog = make()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget(d))
        self.dialog = dialog
        dialog.show()
        return dialog

    def close(self) -> None:
        """Its pending results are dropped: nothing lands in widgets deleted with the window."""
        if self.dialog is not None:
            self.dialog.close()

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:  # not a newer dialog opened since
            self.dialog = None
