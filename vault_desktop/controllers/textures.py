"""The texture grid of the current collection: filter bar, tiles, count, empty hint, dragging tiles
out, selecting, and deleting the selection (it asks first)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from server_api.core.wording import counted
from server_api.store.entities import TextureQuery
from vault_desktop import gc_pauses
from vault_desktop.drag_out import DragOut
from vault_desktop.models.texture_grid import EVERYWHERE, TextureGridModel
from vault_desktop.models.thumbnails import ThumbnailCache
from vault_desktop.views.filter_bar import FilterBar
from vault_desktop.views.grid_view import TextureGridView
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action

NO_COLLECTIONS = "No collections yet — create one with Collection ▸ New collection…"


def filters_active(query: TextureQuery) -> bool:
    """Does ``query`` leave textures out? Sorting alone never does."""
    default = TextureQuery()
    return dataclasses.replace(query, sort=default.sort, descending=default.descending) != default


class TexturesController(QObject):
    textureChosen = Signal(object)  # a texture id to show in the details (None: nothing chosen)
    openRequested = Signal()  # Enter: show the details (Space and a double click open the viewer)
    texturesShown = Signal()  # the grid has its first page for the current collection/filter
    deleted = Signal(list)  # ids of textures just moved to the trash

    def __init__(self, context: WindowContext, thumbnails: ThumbnailCache):
        super().__init__(context)
        self.context = context
        parent = context.dialog_parent
        self.thumbnails = thumbnails
        self.grid_model = TextureGridModel(context.lanes.reads, thumbnails, parent)
        self.filter_bar = FilterBar(parent)
        self.grid = TextureGridView(parent)
        self.grid.setModel(self.grid_model)
        self.empty_hint = QLabel("", parent)
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.hide()
        self.count_label = QLabel("", parent)
        self._keep: int | None = None  # the texture to select again once the reloaded grid is in
        self.drag_out = DragOut(context, self.grid_model)
        self.grid.set_drag_paths(self.drag_out.paths_for)
        self._wire()
        self._add_actions()

    def _wire(self) -> None:
        ctx = self.context
        ctx.storeChanged.connect(self._store_changed)
        ctx.collectionChanged.connect(self._collection_changed)
        ctx.texturesRefreshRequested.connect(self.reload)
        ctx.texturesRefreshRequested.connect(self.load_tag_names)  # F5, another client's tags
        ctx.textureSelectRequested.connect(self.select_texture)
        self.filter_bar.queryChanged.connect(self._query_changed)
        self.filter_bar.scopeChanged.connect(lambda _on: self._query_changed(self.filter_bar.query()))
        self.filter_bar.zoomChanged.connect(self.grid.set_zoom)
        self.grid.zoomChanged.connect(self._zoom_changed)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)
        self.grid.selectionModel().selectionChanged.connect(
            lambda *_: self.drag_out.prepare(self.grid.selected_texture_ids(limit=DragOut.MAX_PREPARED)))
        self.grid.openRequested.connect(self.openRequested)
        self.grid_model.loaded.connect(self._loaded)
        self.grid_model.completed.connect(gc_pauses.settle)  # the collection's rows are long-lived now
        self.grid_model.failed.connect(ctx.report_error)
        self.grid_model.rowsInserted.connect(self._update_count)
        self.grid_model.modelReset.connect(self._update_count)
        # The last page may bring no row (nothing matched, or the count was exact): the "+" must go.
        self.grid_model.completed.connect(self._update_count)
        self.grid_model.rowsRemoved.connect(self._update_count)

    def _add_actions(self) -> None:
        m, parent = self.context.menu("Edit"), self.context.dialog_parent
        add_action(parent, m, "&Find…", lambda: (self.filter_bar.text.setFocus(),
                                                 self.filter_bar.text.selectAll()),
                   QKeySequence.StandardKey.Find)
        add_action(parent, m, "Select &all", self.grid.selectAll, QKeySequence.StandardKey.SelectAll)
        m.addSeparator()
        self.delete_action = add_action(parent, m, "&Delete textures…", self.delete_selected,
                                        QKeySequence.StandardKey.Delete)
        view = self.context.menu("View")
        add_action(parent, view, "Zoom &in", lambda: self.grid.zoom_by(1), ["Ctrl+=", "Ctrl++"])
        add_action(parent, view, "Zoom &out", lambda: self.grid.zoom_by(-1), "Ctrl+-")

    # ---- what the grid shows ----------------------------------------------------------------
    def _store_changed(self, store) -> None:
        self.drag_out.forget()
        self.grid_model.open(store, None)
        self.load_tag_names()

    def load_tag_names(self) -> None:
        """The vault's tags for the filter box's completion (again after tagging)."""
        store = self.context.store
        if store is not None:
            self.context.lanes.reads.submit(
                lambda: [t.name for t in store.list_tags()],
                on_done=lambda names: (store is self.context.store
                                       and self.filter_bar.completer.set_tags(names)),
                on_error=self.context.report_error)

    def scope(self) -> int | None:
        """What the grid lists: the current collection, or EVERYWHERE with the button down."""
        if self.filter_bar.everywhere.isChecked():
            return EVERYWHERE
        collection = self.context.current_collection()
        return collection.id if collection else None

    def _collection_changed(self, collection) -> None:
        self._keep = None
        if collection is not None and self.filter_bar.everywhere.isChecked():
            self.filter_bar.everywhere.setChecked(False)  # choosing a collection means "look here"
            return  # scopeChanged opened it
        self.grid_model.open(self.context.store, self.scope(), self.filter_bar.query())

    def _query_changed(self, query) -> None:
        scope = self.scope()
        if scope is not None:
            self._keep = self.grid.current_texture_id()  # still selected if it still matches
            self.grid_model.open(self.context.store, scope, query)

    def reload(self) -> None:
        """The listing again (F5, after a write); the selected texture stays selected if it is still
        there, and the details follow it (a deleted one leaves them)."""
        self._keep = self.grid.current_texture_id()
        self.grid_model.reload()

    def collections_listed(self, items: list) -> None:
        if not items:
            self.show_empty(NO_COLLECTIONS)

    def _loaded(self) -> None:
        if self.scope() is None:
            self.show_empty("")
        elif self.grid_model.rowCount() == 0:
            self.show_empty("No textures match the filter." if filters_active(self.grid_model.query)
                            else "Drop texture files here to add them to this collection.")
        else:
            self.empty_hint.hide()
        self._reselect()
        self.texturesShown.emit()

    def _reselect(self) -> None:
        keep, self._keep = self._keep, None
        if keep is None:
            return
        row = self.grid_model.row_of_texture(keep)
        if row is not None:
            self.grid.setCurrentIndex(self.grid_model.index(row))
        else:
            self.textureChosen.emit(None)  # gone, or filtered out: the details must not show it

    def show_empty(self, text: str) -> None:
        self.empty_hint.setText(text)
        self.empty_hint.setVisible(bool(text))

    def _update_count(self, *_args) -> None:
        n = self.grid_model.rowCount()
        scope = self.scope()
        more = "+" if scope == EVERYWHERE and not self.grid_model.is_complete() else ""
        self.count_label.setText(counted(n, "texture") + more + (" everywhere" if scope == EVERYWHERE else "")
                                 if scope is not None else "")

    def _zoom_changed(self, side: int) -> None:
        self.thumbnails.set_side(side)  # tiles above 256 px draw the 512 px preview
        self.filter_bar.zoom.blockSignals(True)
        self.filter_bar.zoom.setValue(side)
        self.filter_bar.zoom.blockSignals(False)
        self.context.settings.set_zoom(side)

    # ---- choosing ---------------------------------------------------------------------------
    def _current_changed(self, current, _previous) -> None:
        row = self.grid_model.row_at(current.row()) if current.isValid() else None
        self.textureChosen.emit(None if row is None else row.texture_id)

    def select_texture(self, texture_id: int) -> None:
        """Select ``texture_id`` in the grid once its row is loaded (else just show its details)."""
        row = self.grid_model.row_of_texture(texture_id)
        if row is not None:
            self.grid.setCurrentIndex(self.grid_model.index(row))
            self.grid.scrollTo(self.grid_model.index(row))
        else:
            self.textureChosen.emit(texture_id)

    # ---- deleting ---------------------------------------------------------------------------
    def delete_selected(self) -> None:
        ids = self.grid.selected_texture_ids()
        if not ids or not self.context.can_write():
            return
        first = self.grid_model.row_at(self.grid_model.row_of_texture(ids[0]) or 0)
        what = f"“{first.name}”" if len(ids) == 1 and first else counted(len(ids), "texture")
        if not self.context.confirm("Delete textures", f"Delete {what} and all their versions from the "
                                    "vault?\nFiles on your disk are not touched.", "Delete"):
            return

        def delete_all(store):
            for texture_id in ids:
                store.delete_texture(texture_id)
            return len(ids)

        def done(n: int) -> None:
            self.context.status(f"Deleted {counted(n, 'texture')} · Ctrl+Z brings it back", 8000)
            self.deleted.emit(ids)
            self.reload()
            self.context.refresh_collections()

        self.context.write(delete_all, action="Delete", on_done=done)
