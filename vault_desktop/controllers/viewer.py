"""Opening the viewer: from the grid (Space or a double click; the arrows then walk the loaded tiles)
and from the timeline (a double click or Space on a version; the arrows walk the versions)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from server_api.store.entities import Version
from vault_desktop.models.texture_grid import TextureGridModel
from vault_desktop.models.timeline import VersionTimelineModel
from vault_desktop.viewer import ViewerItem, ViewerWindow, open_viewer
from vault_desktop.window_context import WindowContext


class ViewerController(QObject):
    def __init__(self, context: WindowContext, grid_model: TextureGridModel, timeline: VersionTimelineModel):
        super().__init__(context)
        self.context = context
        self.grid_model, self.timeline = grid_model, timeline
        self.window: ViewerWindow | None = None  # the one viewer window (a new request replaces it)

    def open_texture(self, texture_id: int) -> ViewerWindow | None:
        model = self.grid_model
        rows = [r for r in (model.row_at(i) for i in range(model.loaded_count())) if r is not None]
        items = [ViewerItem(r.version_id, r.name, f"{r.width}×{r.height} · {r.format} · {r.bit_depth}-bit",
                            r.width, r.height, r.colour_space) for r in rows]
        index = next((i for i, r in enumerate(rows) if r.texture_id == texture_id), None)
        return None if index is None else self._open(items, index)

    def open_version(self, version: Version) -> ViewerWindow:
        listed = [self.timeline.version_at(r) for r in range(self.timeline.rowCount())]
        chosen = listed if any(v.id == version.id for v in listed) else [version]
        name = self.timeline.texture.name if self.timeline.texture is not None else f"version {version.id}"
        items = [ViewerItem.of_version(v, name) for v in chosen]
        return self._open(items, next(i for i, v in enumerate(chosen) if v.id == version.id))

    def _open(self, items: list[ViewerItem], index: int) -> ViewerWindow:
        ctx = self.context
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
        self.window = open_viewer(ctx.store, ctx.lanes.reads, items, index, ctx.dialog_parent)
        self.window.failed.connect(lambda exc: ctx.report_error(exc, "Viewer"))
        return self.window
