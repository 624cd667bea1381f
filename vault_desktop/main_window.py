"""The window artists live in: collections on the left, the thumbnail grid, details and timeline.

The window only composes. Each feature is a controller (``vault_desktop/controllers/``) owning its
widgets and actions; they share a ``WindowContext`` (the store, the task lanes, status, errors,
menus) and the window wires one controller's signals to another's slots. Every store call runs on a
lane (reads: listing and thumbnails in parallel; writes: one at a time) and comes back through a
callback that first checks the answer is still wanted (generation numbers, ids that still exist).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QSplitter, QVBoxLayout, QWidget

from server_api.store.base import VaultStore
from server_api.store.entities import Collection, Texture
from vault_desktop import gc_pauses, window_menus
from vault_desktop.controllers.admin import AdminController
from vault_desktop.controllers.collections import CollectionsController
from vault_desktop.controllers.compare import CompareController
from vault_desktop.controllers.connection import ConnectionController
from vault_desktop.controllers.live import LiveController
from vault_desktop.controllers.materials import MaterialsController
from vault_desktop.controllers.notifications import NotificationsController
from vault_desktop.controllers.offline import OfflineController
from vault_desktop.controllers.qa_rules import QaRulesController
from vault_desktop.controllers.review import ReviewController
from vault_desktop.controllers.sharing import SharingController
from vault_desktop.controllers.similar_search import SimilarSearchController
from vault_desktop.controllers.smart_collections import SmartCollectionsController
from vault_desktop.controllers.tags import TagsController
from vault_desktop.controllers.textures import TexturesController
from vault_desktop.controllers.tile_menu import TileMenuController
from vault_desktop.controllers.trash import TrashController
from vault_desktop.controllers.upload import UploadController
from vault_desktop.controllers.vault_opening import VaultOpener
from vault_desktop.controllers.versions import VersionsController
from vault_desktop.controllers.viewer import ViewerController
from vault_desktop.controllers.watch_folder import WatchFolderController
from vault_desktop.models.thumbnails import ThumbnailCache
from vault_desktop.settings import Settings
from vault_desktop.tasks import Lanes
from vault_desktop.window_context import WindowContext


class MainWindow(QMainWindow):
    storeChanged = Signal(object)  # the new VaultStore after open/connect
    collectionChanged = Signal(object)  # Collection | None
    filesDropped = Signal(list)  # local paths dropped on the window or the grid's background
    texturesShown = Signal()  # the grid has its first page for the current collection/filter
    textureShown = Signal(object)  # the detail panel and timeline now show this Texture (or None)

    def __init__(self, settings: Settings | None = None, lanes: Lanes | None = None):
        super().__init__()
        self.setWindowTitle("Texture Vault")
        self.setAcceptDrops(True)
        self.settings = settings or Settings()
        # one core stays free for the GUI thread: frames keep their time while thumbnails decode
        self.lanes = lanes or Lanes(self, reads=max(1, (os.cpu_count() or 2) - 1))
        self.context = WindowContext(self, self.settings, self.lanes)
        self.thumbnails = ThumbnailCache(self.lanes.reads, on_error=self.context.report_error, parent=self)
        self.context.storeChanged.connect(self.thumbnails.set_store)  # first: the others show thumbnails
        self._build_features()
        self._lay_out()
        self._wire()
        self._restore_settings()
        gc_pauses.settle()

    # ---- composing the features (in menu order) ---------------------------------------------
    def _build_features(self) -> None:
        ctx = self.context
        self.connection = ConnectionController(ctx, self.thumbnails)
        self.offline = OfflineController(ctx, self.connection.monitor, self.connection.banner)
        self.opener = VaultOpener(ctx)
        self.collections = CollectionsController(ctx)
        self.textures = TexturesController(ctx, self.thumbnails)
        self.trash = TrashController(ctx)
        self.versions = VersionsController(ctx, self.thumbnails)
        self.review = ReviewController(ctx, self.versions.timeline, self.textures.grid)
        self.versions.timeline.layout().addWidget(self.review.panel, 1)  # comments under the versions
        self.notifications = NotificationsController(ctx)
        self.textures.filter_bar.add_trailing(self.notifications.bell)
        self.tags = TagsController(ctx)
        self.tags.tagged.connect(self.textures.load_tag_names)
        self.tags.selected_ids = lambda: self.textures.grid.selected_texture_ids(limit=100_000)
        self.textures.grid.selectionModel().selectionChanged.connect(lambda *_: self.tags.selection_changed())
        self.smart = SmartCollectionsController(ctx, self.textures.filter_bar)
        self.collections.sidebar.add_section(self.smart.title, self.smart.list)
        self.materials = MaterialsController(ctx, self.textures.grid)
        self.textures.filter_bar.add_leading(self.materials.toggle)
        self.versions.side_tabs.addTab(self.materials.panel, "Material")
        self.materials.grid.materialChosen.connect(
            lambda mid: mid is not None and self.versions.side_tabs.setCurrentWidget(self.materials.panel))
        self.versions.detail.layout().insertWidget(3, self.tags.editor)  # under the facts
        window_menus.add_refresh_and_theme(self, ctx)
        window_menus.add_help(self, ctx)
        self.compare = CompareController(ctx)
        self.viewer = ViewerController(ctx, self.textures.grid_model, self.versions.timeline_model)
        self.upload = UploadController(ctx)
        self.sharing = SharingController(ctx)
        self.qa_rules = QaRulesController(ctx, self.collections.sidebar)
        self.watch_folder = WatchFolderController(ctx)
        self.admin = AdminController(ctx)
        self.live = LiveController(ctx, self.textures.grid, self.connection.monitor)
        self.tile_menu = TileMenuController(ctx, self.textures.grid, self.versions.current_texture,
                                            self.versions.publish_action, self.textures.delete_action)
        self.similar = SimilarSearchController(ctx, self.textures.filter_bar, self.tile_menu)
        window_menus.add_quit(self, ctx)  # last in File, below what the controllers put there
        # the widgets tests, benchmarks and screenshots reach by name
        self.monitor, self.banner = self.connection.monitor, self.connection.banner
        self.sidebar = self.collections.sidebar
        self.grid, self.grid_model = self.textures.grid, self.textures.grid_model
        self.filter_bar, self.empty_hint = self.textures.filter_bar, self.textures.empty_hint
        self.count_label, self.drag_out = self.textures.count_label, self.textures.drag_out
        self.detail, self.detail_scroll = self.versions.detail, self.versions.detail_scroll
        self.timeline, self.timeline_model = self.versions.timeline, self.versions.timeline_model
        self.side_tabs = self.versions.side_tabs

    def _lay_out(self) -> None:
        center = QWidget(self)
        col = QVBoxLayout(center)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        for w in (self.banner, self.filter_bar, self.empty_hint, self.grid, self.materials.grid):
            col.addWidget(w)
        col.setStretchFactor(self.grid, 1)
        col.setStretchFactor(self.materials.grid, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for w in (self.sidebar, center, self.side_tabs):
            self.splitter.addWidget(w)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 900, 340])
        self.setCentralWidget(self.splitter)
        self.statusBar().addPermanentWidget(self.offline.pending_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.filter_bar.zoom)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.upload.dock)
        self.upload.dock.hide()  # out of the way until files are dropped (or View ▸ Uploads)

    def _wire(self) -> None:
        ctx = self.context
        ctx.storeChanged.connect(self._store_changed)
        ctx.storeChanged.connect(self.storeChanged)
        ctx.collectionChanged.connect(self.collectionChanged)
        self.collections.listed.connect(self.textures.collections_listed)
        self.textures.textureChosen.connect(self.versions.show_texture_id)
        self.textures.openRequested.connect(self.versions.open_details)
        self.textures.texturesShown.connect(self.texturesShown)
        self.textures.deleted.connect(self.trash.remember)
        self.versions.textureShown.connect(self.textureShown)
        self.versions.textureShown.connect(self.tags.show_texture)
        self.versions.textureUpdated.connect(self.grid_model.update_texture)
        self.grid.filesDroppedOnTexture.connect(self._files_dropped_on_texture)
        self.grid.filesDroppedOnBackground.connect(self.filesDropped)
        self.timeline.compareRequested.connect(self.compare.open)
        self.grid.viewRequested.connect(self.viewer.open_texture)
        self.tile_menu.viewRequested.connect(self.viewer.open_texture)
        self.tile_menu.timelineRequested.connect(self.versions.open_timeline)
        self.tile_menu.compareRequested.connect(self.compare.open)
        self.tile_menu.saveAsRequested.connect(self.versions.save_version_as)
        self.timeline.viewRequested.connect(self.viewer.open_version)
        self.connection.recovered.connect(self.versions.reload_shown)
        self.filesDropped.connect(self._files_dropped)
        self.textures.texturesShown.connect(self.live.restore_scroll)
        self.versions.textureShown.connect(self.live.texture_shown)
        self.versions.textureShown.connect(self.review.show_texture)
        self.live.applied.connect(lambda _batch: (self.notifications.refresh(), self.review.refresh()))

    def _files_dropped(self, paths: list) -> None:
        """Offline, dropped files wait in the server copy's queue; online they go to the upload pane."""
        if self.offline.is_offline():
            self.offline.queue_files(paths)
        else:
            self.upload.drop(paths)

    def _files_dropped_on_texture(self, texture_id: int, paths: list) -> None:
        if self.offline.is_offline():
            self.offline.queue_versions(texture_id, paths)
        else:
            self.versions.add_versions(texture_id, paths)

    # ---- the API tests and app.py code against ----------------------------------------------
    @property
    def store(self) -> VaultStore | None:
        return self.context.store

    @property
    def last_message(self) -> QMessageBox | None:
        return self.context.last_message

    def set_store(self, store: VaultStore) -> None:
        """Switch to ``store`` (already opened, off the GUI thread); the old one is closed."""
        self.context.set_store(store)

    def current_collection(self) -> Collection | None:
        return self.context.current_collection()

    def current_texture(self) -> Texture | None:
        return self.versions.current_texture()

    def can_write(self) -> bool:
        return self.context.can_write()

    def menu(self, name: str) -> QMenu:
        return self.context.menu(name)

    def add_close_guard(self, guard: Callable[[], bool]) -> None:
        self.context.add_close_guard(guard)

    def refresh_collections(self, select_id: int | None = None) -> None:
        self.context.refresh_collections(select_id)

    def refresh_textures(self) -> None:
        self.context.refresh_textures()

    def select_texture(self, texture_id: int) -> None:
        self.context.select_texture(texture_id)

    def reload_texture(self, texture_id: int) -> None:
        self.context.reload_texture(texture_id)

    def report_error(self, exc: BaseException, action: str | None = None) -> None:
        self.context.report_error(exc, action)

    def show_message(self, title: str, text: str, icon=QMessageBox.Icon.Information) -> QMessageBox:
        return self.context.show_message(title, text, icon)

    # ---- the frame --------------------------------------------------------------------------
    def _store_changed(self, store: VaultStore) -> None:
        where = "server" if store.kind == "remote" else "local vault"
        self.setWindowTitle(f"Texture Vault — {store.uri} ({where})")

    def dragEnterEvent(self, event) -> None:
        event.acceptProposedAction() if event.mimeData().hasUrls() else event.ignore()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)

    def _restore_settings(self) -> None:
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        self.grid.set_zoom(self.settings.zoom())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.context.may_close():
            event.ignore()
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_zoom(self.grid.zoom())
        self.settings.sync()
        self.lanes.reads.clear()
        self.lanes.wait(5000)
        if self.store is not None:
            self.store.close()
        event.accept()
