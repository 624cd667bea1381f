"""The window artists live in: collections on the left, the thumbnail grid, details and timeline.

The window owns the store and the task lanes. Every store call runs on a lane (reads: listing and
thumbnails in parallel; writes: one at a time) and comes back through a callback that first checks
the answer is still wanted (generation numbers, ids that still exist).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import Collection, Texture, level_rank
from vault_desktop import gc_pauses
from vault_desktop.connection import ConnectionMonitor, is_unavailable
from vault_desktop.drag_out import DragOut
from vault_desktop.models.texture_grid import TextureGridModel
from vault_desktop.models.thumbnails import ThumbnailCache
from vault_desktop.models.timeline import VersionTimelineModel
from vault_desktop.settings import Settings
from vault_desktop.tasks import Lanes
from vault_desktop.texture_actions import TextureActions
from vault_desktop.vault_opening import VaultOpener
from vault_desktop.views.banner import ConnectionBanner
from vault_desktop.views.detail_panel import DetailPanel
from vault_desktop.views.filter_bar import FilterBar
from vault_desktop.views.grid_view import TextureGridView
from vault_desktop.views.sidebar import CollectionSidebar
from vault_desktop.views.timeline_panel import TimelinePanel
from vault_desktop.window_menus import build_menus


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
        self._lanes = lanes or Lanes(self, reads=max(1, (os.cpu_count() or 2) - 1))
        self._store: VaultStore | None = None
        self._collection: Collection | None = None
        self._texture: Texture | None = None
        self._detail_generation = 0
        self._close_guards: list[Callable[[], bool]] = []
        self._menus: dict[str, QMenu] = {}

        self.thumbnails = ThumbnailCache(self._lanes.reads, on_error=self.report_error, parent=self)
        self.grid_model = TextureGridModel(self._lanes.reads, self.thumbnails, self)
        self.timeline_model = VersionTimelineModel(self.thumbnails, self)
        self.monitor = ConnectionMonitor(self._lanes.reads, self)
        self._build_widgets()
        self.actions_ = TextureActions(self)
        self.opener = VaultOpener(self)
        self.drag_out = DragOut(self)
        self.grid.set_drag_paths(self.drag_out.paths_for)
        build_menus(self)
        self._wire()
        self._restore_settings()
        from vault_desktop import upload_and_sharing  # the colleague's area hooks in last

        upload_and_sharing.install(self)
        gc_pauses.settle()

    # ---- layout -----------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.sidebar = CollectionSidebar(self)
        self.banner = ConnectionBanner(self)
        self.filter_bar = FilterBar(self)
        self.grid = TextureGridView(self)
        self.grid.setModel(self.grid_model)
        self.empty_hint = QLabel("", self)
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.hide()
        center = QWidget(self)
        col = QVBoxLayout(center)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        for w in (self.banner, self.filter_bar, self.empty_hint, self.grid):
            col.addWidget(w)
        col.setStretchFactor(self.grid, 1)
        self.detail = DetailPanel(self)
        self.timeline = TimelinePanel(self.timeline_model, self)
        self.detail_scroll = QScrollArea(self)  # long paths wrap; the panel scrolls rather than clips
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.addTab(self.detail_scroll, "Details")
        self.side_tabs.addTab(self.timeline, "Timeline")
        self.side_tabs.setMinimumWidth(260)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for w in (self.sidebar, center, self.side_tabs):
            self.splitter.addWidget(w)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 900, 340])
        self.setCentralWidget(self.splitter)
        self.count_label = QLabel("", self)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.filter_bar.zoom)

    def _wire(self) -> None:
        self.sidebar.collectionSelected.connect(self._collection_selected)
        self.filter_bar.queryChanged.connect(self._query_changed)
        self.filter_bar.zoomChanged.connect(self.grid.set_zoom)
        self.grid.zoomChanged.connect(self._zoom_changed)
        self.grid.selectionModel().currentChanged.connect(self._grid_current_changed)
        self.grid.selectionModel().selectionChanged.connect(
            lambda *_: self.drag_out.prepare(self.grid.selected_texture_ids(limit=DragOut.MAX_PREPARED)))
        self.grid.openRequested.connect(self._open_detail)
        self.grid.doubleClicked.connect(lambda index: self._open_detail())
        self.grid.filesDroppedOnTexture.connect(self.actions_.add_versions)
        self.grid.filesDroppedOnBackground.connect(self.filesDropped)
        self.grid_model.loaded.connect(self._textures_loaded)
        self.grid_model.completed.connect(self._grid_complete)
        self.grid_model.failed.connect(self.report_error)
        self.grid_model.rowsInserted.connect(self._update_count)
        self.grid_model.modelReset.connect(self._update_count)
        self.timeline.filesDropped.connect(self._files_dropped_on_timeline)
        self.timeline.makeCurrentRequested.connect(self.actions_.make_current)
        self.timeline.publishRequested.connect(self.actions_.publish_current)
        self.timeline.saveAsRequested.connect(self.actions_.save_version_as)
        self.timeline.compareRequested.connect(self.actions_.compare)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.monitor.wentDown.connect(lambda _msg: self.thumbnails.set_paused(True))
        self.monitor.countdown.connect(self.banner.show_countdown)
        self.monitor.recovered.connect(self._server_recovered)
        self.banner.retryRequested.connect(self.monitor.retry_now)

    # ---- the API the rest of the app codes against -------------------------------------------
    @property
    def store(self) -> VaultStore | None:
        return self._store

    @property
    def lanes(self) -> Lanes:
        return self._lanes

    def current_collection(self) -> Collection | None:
        return self._collection

    def current_texture(self) -> Texture | None:
        return self._texture

    def menu(self, name: str) -> QMenu:
        return self._menus[name]

    def add_close_guard(self, guard: Callable[[], bool]) -> None:
        self._close_guards.append(guard)

    def set_store(self, store: VaultStore) -> None:
        """Switch to ``store`` (already opened, off the GUI thread); the old one is closed."""
        old, self._store = self._store, store
        self.thumbnails.set_store(store)
        self.drag_out.forget()
        self.monitor.set_store(store)
        self.banner.hide()
        self._collection = None
        self._show_texture(None)
        self.grid_model.open(store, None)
        where = "server" if store.kind == "remote" else "local vault"
        self.setWindowTitle(f"Texture Vault — {store.uri} ({where})")
        if old is not None and old is not store:
            self._lanes.writes.submit(old.close)
        self.storeChanged.emit(store)
        self.refresh_collections()

    def refresh_collections(self, select_id: int | None = None) -> None:
        """Reload the sidebar; keeps the current collection selected (or selects ``select_id``)."""
        if self._store is None:
            return
        store = self._store
        keep = select_id if select_id is not None else (self._collection.id if self._collection else None)
        self._lanes.reads.submit(store.list_collections,
                                 on_done=lambda items: self._collections_arrived(store, items, keep),
                                 on_error=self.report_error)

    def refresh_textures(self) -> None:
        self.grid_model.reload()

    def select_texture(self, texture_id: int) -> None:
        """Select ``texture_id`` in the grid once its row is loaded, and show its details."""
        row = self.grid_model.row_of_texture(texture_id)
        if row is not None:
            self.grid.setCurrentIndex(self.grid_model.index(row))
            self.grid.scrollTo(self.grid_model.index(row))
        else:
            self._load_texture(texture_id)

    def can_write(self) -> bool:
        return self._collection is not None and level_rank(self._collection.my_level) >= level_rank("write")

    # ---- errors -----------------------------------------------------------------------------
    def report_error(self, exc: BaseException, action: str | None = None) -> None:
        """One place for failures: unreachable → banner; user errors → message; bugs → excepthook."""
        if is_unavailable(exc):
            self.monitor.report_unavailable(exc)
            return
        if not isinstance(exc, VaultError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
            return
        if action is None:
            self.statusBar().showMessage(exc.message, 8000)
            return
        self.show_message(f"{action} failed", exc.message, QMessageBox.Icon.Warning)

    def show_message(self, title: str, text: str, icon=QMessageBox.Icon.Information) -> QMessageBox:
        """A window-modal note that does not block the event loop (results keep arriving)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box
        return box

    # ---- reactions --------------------------------------------------------------------------
    def _collections_arrived(self, store, items: list[Collection], keep: int | None) -> None:
        if store is not self._store:
            return
        self.sidebar.set_collections(items, keep_id=keep)
        if not items:
            self._show_empty("No collections yet — create one with Collection ▸ New collection…")

    def _collection_selected(self, collection: Collection | None) -> None:
        previous = self._collection
        same = collection is not None and previous is not None and collection.id == previous.id
        self._collection = collection
        self.timeline.set_can_write(self.can_write())
        if same:
            return  # a refreshed list re-selected it: the grid stays where it is
        self._show_texture(None)
        self.grid_model.open(self._store, collection.id if collection else None, self.filter_bar.query())
        self.collectionChanged.emit(collection)

    def _query_changed(self, query) -> None:
        if self._collection is not None:
            self.grid_model.open(self._store, self._collection.id, query)

    def _grid_complete(self) -> None:
        gc_pauses.settle()  # the collection's rows are long-lived now

    def _textures_loaded(self) -> None:
        if self._collection is None:
            self._show_empty("")
        elif self.grid_model.rowCount() == 0:
            filtered = self.grid_model.query != type(self.grid_model.query)()
            self._show_empty("No textures match the filter." if filtered
                             else "Drop texture files here to add them to this collection.")
        else:
            self.empty_hint.hide()
        self.texturesShown.emit()

    def _show_empty(self, text: str) -> None:
        self.empty_hint.setText(text)
        self.empty_hint.setVisible(bool(text))

    def _update_count(self, *_args) -> None:
        n = self.grid_model.rowCount()
        self.count_label.setText(f"{n:,} texture{'' if n == 1 else 's'}" if self._collection else "")

    def _zoom_changed(self, side: int) -> None:
        self.filter_bar.zoom.blockSignals(True)
        self.filter_bar.zoom.setValue(side)
        self.filter_bar.zoom.blockSignals(False)
        self.settings.set_zoom(side)

    def _grid_current_changed(self, current, _previous) -> None:
        row = self.grid_model.row_at(current.row()) if current.isValid() else None
        if row is None:
            self._show_texture(None)
        else:
            self._load_texture(row.texture_id)

    def _load_texture(self, texture_id: int) -> None:
        """Fetch the texture and its versions off the GUI thread; drop answers that came too late."""
        self._detail_generation += 1
        gen, store = self._detail_generation, self._store
        if store is None:
            return

        def job():
            return store.get_texture(texture_id), store.list_versions(texture_id)

        def done(result):
            if gen == self._detail_generation and store is self._store:
                self._show_texture(*result)

        self._lanes.reads.submit(job, on_done=done, on_error=self.report_error)

    def reload_texture(self, texture_id: int) -> None:
        """After a write: new details, timeline and tile for ``texture_id``."""
        def done(result):
            texture, versions = result
            self.grid_model.update_texture(texture)
            if self._texture is not None and self._texture.id == texture.id:
                self._show_texture(texture, versions)

        store = self._store
        self._lanes.reads.submit(lambda: (store.get_texture(texture_id), store.list_versions(texture_id)),
                                 on_done=done, on_error=self.report_error)

    def _show_texture(self, texture: Texture | None, versions=()) -> None:
        self._texture = texture
        self.detail.show_texture(texture)
        self.timeline_model.set_versions(texture, list(versions))
        if texture is not None:
            self.detail.show_preview(self.thumbnails.pixmap(texture.current.id))
        self.textureShown.emit(texture)

    def _thumbnail_ready(self, version_id: int) -> None:
        if self._texture is not None and self._texture.current.id == version_id:
            self.detail.show_preview(self.thumbnails.pixmap(version_id))

    def _open_detail(self, *_args) -> None:
        self.side_tabs.show()
        self.side_tabs.setCurrentWidget(self.detail_scroll)

    def _files_dropped_on_timeline(self, paths: list[str]) -> None:
        if self._texture is not None:
            self.actions_.add_versions(self._texture.id, paths)

    def _server_recovered(self) -> None:
        self.banner.hide()
        self.thumbnails.set_paused(False)
        self.refresh_collections()
        self.refresh_textures()
        if self._texture is not None:
            self._load_texture(self._texture.id)

    # ---- window-level drops and closing ------------------------------------------------------
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
        if not all(guard() for guard in self._close_guards):
            event.ignore()
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_zoom(self.grid.zoom())
        self.settings.sync()
        self._lanes.reads.clear()
        self._lanes.wait(5000)
        if self._store is not None:
            self._store.close()
        event.accept()
