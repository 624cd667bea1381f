"""The window's menus and shortcuts (File, Edit, View, Collection, Help)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from vault_desktop.collection_actions import CollectionActions
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


def _action(window, menu, text: str, slot, shortcut=None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        keys = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(w) -> None:
    bar = w.menuBar()
    for name in ("File", "Edit", "View", "Collection", "Help"):
        w._menus[name] = bar.addMenu(f"&{name}")
    w.collection_actions = CollectionActions(w)
    _file_menu(w)
    _edit_menu(w)
    _view_menu(w)
    _collection_menu(w)
    _help_menu(w)


def _file_menu(w) -> None:
    m = w.menu("File")
    _action(w, m, "&Open vault folder…", lambda: w.opener.choose_folder("Open vault folder"),
            QKeySequence.StandardKey.Open)
    _action(w, m, "&New local vault…",
            lambda: w.opener.choose_folder("Choose an empty folder for the new vault"))
    _action(w, m, "&Connect to server…", w.opener.connect_dialog, "Ctrl+Shift+O")
    recent = m.addMenu("Open &recent")
    recent.aboutToShow.connect(lambda: _fill_recent(w, recent))
    m.addSeparator()
    w.publish_action = _action(w, m, "&Publish current version…", w.actions_.publish_current, "Ctrl+P")
    m.addSeparator()
    _action(w, m, "&Quit", w.close, QKeySequence.StandardKey.Quit)


def _fill_recent(w, menu) -> None:
    menu.clear()
    for uri in w.settings.recent_vaults():
        action = menu.addAction(uri)
        action.triggered.connect(lambda _c=False, u=uri: w.opener.open_uri(u))
    if menu.isEmpty():
        menu.addAction("(none yet)").setEnabled(False)


def _edit_menu(w) -> None:
    m = w.menu("Edit")
    _action(w, m, "&Find…", lambda: (w.filter_bar.text.setFocus(), w.filter_bar.text.selectAll()),
            QKeySequence.StandardKey.Find)
    _action(w, m, "Select &all", w.grid.selectAll, QKeySequence.StandardKey.SelectAll)
    m.addSeparator()
    w.delete_action = _action(w, m, "&Delete textures…", w.actions_.delete_selected,
                              QKeySequence.StandardKey.Delete)
    w.grid.addAction(w.publish_action)
    w.grid.addAction(w.delete_action)


def _view_menu(w) -> None:
    m = w.menu("View")
    _action(w, m, "Zoom &in", lambda: w.grid.zoom_by(1), ["Ctrl+=", "Ctrl++"])
    _action(w, m, "Zoom &out", lambda: w.grid.zoom_by(-1), "Ctrl+-")
    m.addSeparator()
    _action(w, m, "&Refresh", lambda: (w.refresh_collections(), w.refresh_textures()),
            QKeySequence.StandardKey.Refresh)
    themes = m.addMenu("&Theme")
    group = QActionGroup(w)
    for name in THEMES:
        action = themes.addAction(name.capitalize())
        action.setCheckable(True)
        action.setChecked(name == w.settings.theme())
        group.addAction(action)
        action.triggered.connect(lambda _c=False, n=name: _switch_theme(w, n))


def _switch_theme(w, name: str) -> None:
    apply_theme(QApplication.instance(), name)
    w.settings.set_theme(name)
    w.grid.viewport().update()


def _collection_menu(w) -> None:
    m = w.menu("Collection")
    ca = w.collection_actions
    new = _action(w, m, "&New collection…", ca.new_collection, "Ctrl+Shift+N")
    rename = _action(w, m, "&Rename…", ca.rename_collection, "F2")
    delete = _action(w, m, "&Delete collection…", ca.delete_collection)
    def update_enabled(*_args) -> None:
        rename.setEnabled(ca.can_rename())
        delete.setEnabled(ca.can_delete())

    m.aboutToShow.connect(update_enabled)
    w.collectionChanged.connect(update_enabled)
    for action in (new, rename, delete):
        w.sidebar.list.addAction(action)


def _help_menu(w) -> None:
    m = w.menu("Help")
    _action(w, m, "&Keyboard shortcuts", lambda: w.show_message("Keyboard shortcuts", SHORTCUTS_HELP))
    _action(w, m, "&About Texture Vault", lambda: QMessageBox.about(
        w, "About Texture Vault", "Texture Vault — collections, thumbnails and version history "
        "for texture artists."))
