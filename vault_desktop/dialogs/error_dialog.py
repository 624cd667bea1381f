"""Unexpected exceptions become an error dialog (with the traceback under "Show Details…")."""

from __future__ import annotations

import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox

_showing = False


def show_exception(exc_type, exc, tb) -> QMessageBox | None:
    """Print the traceback and show it; never raises (this runs inside sys.excepthook)."""
    global _showing
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    sys.stderr.write(details)
    if _showing or QApplication.instance() is None:
        return None  # an error while showing an error: the terminal has it
    _showing = True
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, "Texture Vault — unexpected error",
                          f"Something went wrong: {exc_type.__name__}: {exc}\n\n"
                          "Your vault is safe; the action that failed was not completed.",
                          QMessageBox.StandardButton.Ok, QApplication.activeWindow())
        box.setDetailedText(details)
        box.exec()
        return box
    finally:
        _showing = False


def install_excepthook() -> None:
    sys.excepthook = show_exception
