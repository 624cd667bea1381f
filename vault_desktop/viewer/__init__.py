"""The texture viewer. Other features open it through ``open_viewer`` only.

    open_viewer(store, runner, [ViewerItem(version, name), ...], index, parent) -> ViewerWindow

``runner`` is a reads lane (``vault_desktop.tasks.TaskRunner``); the window shows the item at
``index`` and moves through the list with the arrow keys.
"""

from __future__ import annotations

from vault_desktop.viewer.window import ViewerItem, ViewerWindow

__all__ = ["ViewerItem", "ViewerWindow", "open_viewer"]


def open_viewer(store, runner, items: list[ViewerItem], index: int = 0, parent=None) -> ViewerWindow:
    window = ViewerWindow(store, runner, items, index, parent)
    window.show()
    window.activateWindow()
    return window
