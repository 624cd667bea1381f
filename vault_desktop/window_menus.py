"""Menu actions: the one helper every controller adds its actions with, and the window's own ones.

Each feature controller puts its actions into the menus (``WindowContext.menu``) as it is built;
the window builds the controllers in menu order and adds only what belongs to the frame itself
(Quit, Refresh, Theme, Help) here.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from vault_desktop.theme import THEMES, apply_theme

SHORTCUTS_HELP = """<table cellpadding=3>
<tr><td><b>Arrows, Home, End</b></td><td>move in the grid</td></tr>
<tr><td><b>Enter</b></td><td>open the details of the texture</td></tr>
<tr><td><b>Ctrl+F</b></td><td>filter by name</td></tr>
<tr><td><b>Delete</b></td><td>delete the selected textures (asks first)</td></tr>
<tr><td><b>Ctrl+= / Ctrl+-</b></td><td>bigger / smaller thumbnails</td></tr>
<tr><td><b>Ctrl+P</b></td><td>publish the current version to its original path</td></tr>
<tr><td><b>F5</b></td><td>refresh</td></tr>
<tr><td><b>Ctrl+O</b></td><td>open a vault folder</td></tr>
</table>"""


def add_action(parent, menu, text: str, slot, shortcut=None) -> QAction:
    """A QAction owned by ``parent`` in ``menu``, calling ``slot()`` (shortcut: one key or a list)."""
    action = QAction(text, parent)
    if shortcut is not None:
        keys = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def add_quit(window, context) -> None:
    m = context.menu("File")
    m.addSeparator()
    add_action(window, m, "&Quit", window.close, QKeySequence.StandardKey.Quit)


def add_refresh_and_theme(window, context) -> None:
    m = context.menu("View")
    m.addSeparator()
    add_action(window, m, "&Refresh", lambda: (context.refresh_collections(), context.refresh_textures()),
               QKeySequence.StandardKey.Refresh)
    themes = m.addMenu("&Theme")
    group = QActionGroup(window)
    for name in THEMES:
        action = themes.addAction(name.capitalize())
        action.setCheckable(True)
        action.setChecked(name == context.settings.theme())
        group.addAction(action)
        action.triggered.connect(lambda _c=False, n=name: _switch_theme(window, context, n))


def _switch_theme(window, context, name: str) -> None:
    apply_theme(QApplication.instance(), name)
    context.settings.set_theme(name)
    window.grid.viewport().update()


def add_help(window, context) -> None:
    m = context.menu("Help")
    add_action(window, m, "&Keyboard shortcuts",
               lambda: context.show_message("Keyboard shortcuts", SHORTCUTS_HELP))
    add_action(window, m, "&About Texture Vault", lambda: QMessageBox.about(
        window, "About Texture Vault", "Texture Vault — collections, thumbnails and version history "
        "for texture artists."))
