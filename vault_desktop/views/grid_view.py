"""The thumbnail grid: a QListView in icon mode tuned for 100,000 tiles.

Uniform item sizes and batched layout keep the first paint fast; drops on a tile become a new
version of that texture, drops on the background are handed to whoever imports files; dragging
tiles out carries file URLs supplied by the window (``set_drag_paths``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QPoint, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDrag, QKeyEvent, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle

from vault_desktop.models.roles import TextureIdRole, ThumbnailRole
from vault_desktop.settings import ZOOM_MAX, ZOOM_MIN
from vault_desktop.views.drop_paths import local_paths
from vault_desktop.views.tile_delegate import TileDelegate

DragPaths = Callable[[list[int]], list[str]]


class TextureGridView(QListView):
    filesDroppedOnTexture = Signal(int, list)  # texture id, local paths
    filesDroppedOnBackground = Signal(list)
    openRequested = Signal(int)  # Enter on a texture
    viewRequested = Signal(int)  # Space or a double click on a texture: the viewer
    zoomChanged = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("textureGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        # Small slices: 2000 tiles per slice cost up to 36 ms of GUI time (a visible hitch); 500 cost
        # ~10 ms, and 100k tiles are still all placed 0.5 s after the first paint.
        self.setBatchSize(500)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setSpacing(0)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._delegate = TileDelegate(self)
        self.setItemDelegate(self._delegate)
        self._drag_paths: DragPaths | None = None
        self.set_zoom(160)
        self.doubleClicked.connect(lambda index: self.viewRequested.emit(index.data(TextureIdRole))
                                   if index.data(TextureIdRole) is not None else None)

    # ---- zoom ---------------------------------------------------------------------------
    def zoom(self) -> int:
        return self._side

    def set_zoom(self, side: int) -> None:
        side = max(ZOOM_MIN, min(ZOOM_MAX, int(side)))
        self._side = side
        self._delegate.set_tile_side(side)
        self._fit_columns()
        self.verticalScrollBar().setSingleStep(max(20, side // 4))
        self.zoomChanged.emit(side)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Widen the cells so the columns fill the row instead of leaving a ragged gap on the right."""
        tile = self._delegate.tile_size()
        width = self.layout_width()
        columns = max(1, width // tile.width())
        cell = tile.width() if width < tile.width() else width // columns
        if self.gridSize() != QSize(cell, tile.height()):
            self.setGridSize(QSize(cell, tile.height()))

    def layout_width(self) -> int:
        """The width QListView wraps rows at: while the scroll bar is hidden it keeps room for it,
        and a cell that would reach the last pixel wraps (QListViewPrivate::prepareItemsLayout)."""
        width = self.viewport().width()
        if (self.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded
                and not self.verticalScrollBar().isVisible()):
            width -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return width - 1

    def zoom_by(self, steps: int) -> None:
        self.set_zoom(self._side + steps * 32)

    # ---- selection helpers --------------------------------------------------------------
    def selected_texture_ids(self, limit: int | None = None) -> list[int]:
        """Ids of selected tiles in row order; walks selection ranges, so select-all stays cheap."""
        model, selection = self.model(), self.selectionModel()
        if model is None or selection is None:
            return []
        rows: list[int] = []
        for rng in sorted(selection.selection(), key=lambda r: r.top()):
            rows.extend(range(rng.top(), rng.bottom() + 1))
            if limit is not None and len(rows) >= limit:
                break
        rows = rows[:limit] if limit is not None else rows
        ids = [model.index(r, 0).data(TextureIdRole) for r in rows]
        return [i for i in ids if i is not None]

    def current_texture_id(self) -> int | None:
        index = self.currentIndex()
        return index.data(TextureIdRole) if index.isValid() else None

    # ---- keyboard -----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_texture_id() is not None:
            self.openRequested.emit(self.current_texture_id())
            return
        if key == Qt.Key.Key_Space and self.current_texture_id() is not None:
            self.viewRequested.emit(self.current_texture_id())
            return
        if key == Qt.Key.Key_End and self.model() is not None and self.model().rowCount():
            self._finish_layout()
            self.model().ensure_loaded(self.model().rowCount() - 1)
        super().keyPressEvent(event)

    def _finish_layout(self) -> None:
        """End pressed while the batched layout still runs: place every tile now, so End lands."""
        last = self.model().index(self.model().rowCount() - 1, 0)
        if not self.rectForIndex(last).isValid():
            self.setLayoutMode(QListView.LayoutMode.SinglePass)
            self.doItemsLayout()
            self.setLayoutMode(QListView.LayoutMode.Batched)

    # ---- drag out -----------------------------------------------------------------------
    def set_drag_paths(self, provider: DragPaths) -> None:
        """``provider(texture_ids)`` → local files to hand to the drop target."""
        self._drag_paths = provider

    def startDrag(self, supportedActions) -> None:
        ids = self.selected_texture_ids()
        if not ids or self._drag_paths is None:
            return
        paths = self._drag_paths(ids)
        if not paths:
            return
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
        drag = QDrag(self)
        drag.setMimeData(mime)
        pixmap = self.currentIndex().data(ThumbnailRole)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            drag.setPixmap(pixmap.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))
        drag.exec(Qt.DropAction.CopyAction)

    # ---- drops in -----------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.source() is not self and local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if event.source() is not self and local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        paths = local_paths(event.mimeData())
        if event.source() is self or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        texture_id = self.texture_at(event.position().toPoint())
        if texture_id is None:
            self.filesDroppedOnBackground.emit(paths)
        else:
            self.filesDroppedOnTexture.emit(texture_id, paths)

    def texture_at(self, pos: QPoint) -> int | None:
        index = self.indexAt(pos)
        return index.data(TextureIdRole) if index.isValid() else None
