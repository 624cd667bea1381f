"""A tile's context menu: what an artist does to one texture, where the mouse already is.

Open in the viewer, show its timeline, compare with another texture, publish, save as, copy its
path, reveal its folder, delete. Publish, Save as and Delete are the owners' own actions (the same
shortcuts and rules as in the menus); the rest live here. The window passes what they need.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMenu

from server_api.store.entities import Texture, Version
from vault_desktop.views.grid_view import TextureGridView
from vault_desktop.window_context import WindowContext


def current_versions(store, texture_ids: list[int]) -> list[Version]:
    """Worker job: the current version of each texture, in order (what Compare shows)."""
    return [store.get_texture(texture_id).current for texture_id in texture_ids]


class TileMenuController(QObject):
    viewRequested = Signal(int)  # open the viewer on this texture
    timelineRequested = Signal()  # show the Timeline tab of the texture shown
    compareRequested = Signal(object, object)  # two Versions
    saveAsRequested = Signal(object)  # the Version to save (the current one of the texture shown)

    def __init__(self, context: WindowContext, grid: TextureGridView, shown: Callable[[], Texture | None],
                 publish_action: QAction, delete_action: QAction):
        super().__init__(context)
        self.context, self.grid, self.shown = context, grid, shown
        self.publish_action, self.delete_action = publish_action, delete_action
        self._pick_for: int | None = None  # "Compare with…": the texture waiting for a second one
        parent = context.dialog_parent
        self.view_action = QAction("Open in &viewer", parent)
        self.view_action.triggered.connect(lambda: self._on_current(self.viewRequested.emit))
        self.timeline_action = QAction("Show in &timeline", parent)
        self.timeline_action.triggered.connect(self.timelineRequested.emit)
        self.compare_action = QAction("&Compare with…", parent)
        self.compare_action.triggered.connect(self.compare_with)
        self.save_action = QAction("&Save as…", parent)
        self.save_action.triggered.connect(self._save_as)
        self.copy_action = QAction("Copy &path", parent)
        self.copy_action.triggered.connect(self.copy_path)
        self.reveal_action = QAction("&Reveal in file manager", parent)
        self.reveal_action.triggered.connect(self.reveal)
        self.more_actions: list[QAction] = []  # other controllers' (add_tile_action)
        grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        grid.customContextMenuRequested.connect(lambda pos: self.menu_at(pos).exec(grid.mapToGlobal(pos)))
        grid.clicked.connect(self._picked)
        context.storeChanged.connect(lambda _store: self._cancel_pick())

    def menu_at(self, pos: QPoint) -> QMenu:
        """The menu for the tile at ``pos`` (on the background: nothing to act on, all disabled)."""
        menu = QMenu(self.grid)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        on_tile = self.grid.texture_at(pos) is not None
        two = len(self.grid.selected_texture_ids(limit=3)) == 2
        self.compare_action.setText("&Compare the two selected" if two else "&Compare with…")
        groups = [[self.view_action, self.timeline_action, self.compare_action, *self.more_actions],
                  [self.publish_action, self.save_action],
                  [self.copy_action, self.reveal_action],
                  [self.delete_action]]
        for group in groups:
            if menu.actions():
                menu.addSeparator()
            menu.addActions(group)
        for action in (self.view_action, self.timeline_action, self.compare_action, self.save_action,
                       self.copy_action, self.reveal_action, *self.more_actions):
            action.setEnabled(on_tile)  # Publish and Delete keep their owners' state (and shortcuts)
        return menu

    def add_tile_action(self, action: QAction) -> None:
        """Another controller's action on the tile under the mouse (Find similar), enabled on a tile."""
        self.more_actions.append(action)

    # ---- the actions ------------------------------------------------------------------------
    def _on_current(self, then: Callable[[int], None]) -> None:
        texture_id = self.grid.current_texture_id()
        if texture_id is not None:
            then(texture_id)

    def _texture(self) -> Texture | None:
        """The texture shown in the details, if it is the one under the menu."""
        texture = self.shown()
        return texture if texture is not None and texture.id == self.grid.current_texture_id() else None

    def _save_as(self) -> None:
        texture = self._texture()
        if texture is not None:
            self.saveAsRequested.emit(texture.current)

    def copy_path(self) -> None:
        texture = self._texture()
        if texture is not None:
            QGuiApplication.clipboard().setText(texture.original_path)
            self.context.status(f"Copied {texture.original_path}", 4000)

    def reveal(self) -> None:
        texture = self._texture()
        if texture is None:
            return
        folder = Path(texture.original_path).parent
        if not folder.is_dir():
            self.context.status(f"The folder {folder} is not on this computer", 8000)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def compare_with(self) -> None:
        """Two tiles selected: compare them. One: the next tile clicked is the other side."""
        ids = self.grid.selected_texture_ids(limit=3)
        if len(ids) == 2:
            self._compare(ids)
        elif self.grid.current_texture_id() is not None:
            self._pick_for = self.grid.current_texture_id()
            self.context.status("Click the texture to compare with", 0)

    def _picked(self, index) -> None:
        first, self._pick_for = self._pick_for, None
        second = self.grid.current_texture_id()
        if first is None:
            return
        self.context.clear_status()
        if second is not None and second != first:
            self._compare([first, second])

    def _cancel_pick(self) -> None:
        self._pick_for = None

    def _compare(self, texture_ids: list[int]) -> None:
        store = self.context.store
        self.context.lanes.reads.submit(
            current_versions, store, texture_ids,
            on_done=lambda vs: self.compareRequested.emit(*vs) if store is self.context.store else None,
            on_error=lambda exc: self.context.report_error(exc, "Compare"))
