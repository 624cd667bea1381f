"""Wires the upload pane, the sharing dialogs and their menu actions into the main window.

The main window calls ``install(window)`` once, at the end of its ``__init__``; everything this
area adds to the window (a dock, menu actions, a close guard) is attached here and nowhere else.
"""

from __future__ import annotations


def install(window) -> None:
    """Attach the upload pane and the sharing actions to ``window`` (a MainWindow)."""
    return
