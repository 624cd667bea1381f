"""Menu actions: the one helper every controller adds its actions with, and the window's own ones.

Each feature controller puts its actions into the menus (``WindowContext.menu``) as it is built;
the window builds the controllers in menu order and adds only what belongs to the frame itself
(Quit, Refresh, Theme, Help) here.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from vault_desktop.theme import THEMES, apply_theme
from vault_desktop.window_context import MENUS

PORTABLE = QKeySequence.SequenceFormat.PortableText  # "Ctrl+Shift+N" on every platform, as the README
# Keys the grid handles itself; every menu action with a shortcut is listed from the menus.
GRID_KEYS = [
    ("Arrows, Home, End", "move in the grid"),
    ("Enter", "show the details of the texture"),
    ("Space", "open the texture in the viewer (or double-click)"),
]


def shortcut_rows(context) -> list[tuple[str, str]]:
    """(keys, what) for the shortcuts dialog and the README's table: the grid's keys, then every
    menu action with a shortcut, in menu order, so neither can miss one."""
    rows = list(GRID_KEYS)

    def walk(menu, path: str) -> None:
        for action in menu.actions():
            text = action.text().replace("&", "").rstrip("…")
            if action.menu() is not None:
                walk(action.menu(), f"{path} ▸ {text}")
            elif action.shortcuts():
                keys = " / ".join(k.toString(PORTABLE) for k in action.shortcuts() if not k.isEmpty())
                if keys:
                    rows.append((keys, f"{path} ▸ {text}"))

    for name in MENUS:
        walk(context.menu(name), name)
    return rows


def shortcuts_html(context) -> str:
    cells = "".join(f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>"
                    for keys, what in shortcut_rows(context))
    return f"<table cellpadding=3>{cells}</table>"


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
    add_action(window, m, "&Quit", window.close, "Ctrl+Q")  # StandardKey.Quit is empty on some desktops


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
               lambda: context.show_message("Keyboard shortcuts", shortcuts_html(context)))
    add_action(window, m, "&About Texture Vault", lambda: QMessageBox.about(
        window, "About Texture Vault", "Texture Vault — collections, thumbnails and version history "
        "for texture artists."))
