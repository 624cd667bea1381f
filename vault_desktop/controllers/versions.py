"""The Details and Timeline tabs: the texture shown, its versions, and what the artist does to them
(new versions from dropped files, make current, publish, save as; compare is asked of its owner).

Loading a texture runs off the GUI thread; an answer that came too late (another texture chosen,
another vault opened) is dropped. Each write asks first where it must (publish shows the path),
runs on the write lane and reloads the texture when the answer comes back.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QScrollArea, QTabWidget

from server_api.store.entities import PublishResult, Texture, Version
from server_api.workflows.publish_roots import PublishNotApproved, PublishRoots
from vault_desktop.models.thumbnails import ThumbnailCache
from vault_desktop.models.timeline import VersionTimelineModel
from vault_desktop.publish_jobs import publish_or_ask
from vault_desktop.views.detail_panel import DetailPanel
from vault_desktop.views.timeline_panel import TimelinePanel
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action

CHUNK = 1 << 20


def add_files_as_versions(store, texture_id: int, paths: list[str]) -> list[Version]:
    """Worker job: each file becomes the next version, in the order given."""
    return [store.add_version(texture_id, p, note=f"from {Path(p).name}") for p in paths]


def save_version_bytes(store, version_id: int, target: str) -> str:
    """Worker job: copy a version's bytes to ``target`` through a temp file (never half a file)."""
    temp = f"{target}.part"
    with store.open_version(version_id) as src, open(temp, "wb") as out:
        shutil.copyfileobj(src, out, CHUNK)
    os.replace(temp, target)
    return target


class VersionsController(QObject):
    textureShown = Signal(object)  # the detail panel and timeline now show this Texture (or None)
    textureUpdated = Signal(object)  # a write changed this Texture (its tile shows it too)

    def __init__(self, context: WindowContext, thumbnails: ThumbnailCache):
        super().__init__(context)
        self.context = context
        self.thumbnails = thumbnails
        self._texture: Texture | None = None
        self._generation = 0  # of texture loads: only the newest answer is shown
        parent = context.dialog_parent
        self.timeline_model = VersionTimelineModel(thumbnails, parent)
        self.detail = DetailPanel(parent)
        self.timeline = TimelinePanel(self.timeline_model, parent)
        self.detail_scroll = QScrollArea(parent)  # long paths wrap; the panel scrolls rather than clips
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.side_tabs = QTabWidget(parent)
        self.side_tabs.addTab(self.detail_scroll, "Details")
        self.side_tabs.addTab(self.timeline, "Timeline")
        self.side_tabs.setMinimumWidth(260)
        self._wire()
        file_menu = context.menu("File")
        file_menu.addSeparator()
        self.publish_action = add_action(parent, file_menu, "&Publish current version…",
                                         self.publish_current, "Ctrl+P")
        self.publish_action.setEnabled(False)  # until a texture is shown in a collection you can write to

    def _wire(self) -> None:
        ctx = self.context
        ctx.storeChanged.connect(lambda _store: self._show(None))
        ctx.collectionUpdated.connect(lambda _c: (self.timeline.set_can_write(ctx.can_write()),
                                                  self._enable_actions()))
        self.detail.colourSpaceChosen.connect(self.set_colour_space)
        ctx.collectionChanged.connect(lambda _c: self._show(None))
        ctx.textureReloadRequested.connect(self.reload)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.timeline.filesDropped.connect(self._files_dropped_on_timeline)
        self.timeline.makeCurrentRequested.connect(self.make_current)
        self.timeline.publishRequested.connect(self.publish_current)
        self.timeline.saveAsRequested.connect(self.save_version_as)

    # ---- what is shown ----------------------------------------------------------------------
    def current_texture(self) -> Texture | None:
        return self._texture

    def show_texture_id(self, texture_id: int | None) -> None:
        """Fetch the texture and its versions off the GUI thread (None: show nothing)."""
        self._generation += 1
        gen, store = self._generation, self.context.store
        if texture_id is None:
            self._show(None)
            return
        if store is None:
            return

        def job():
            return store.get_texture(texture_id), store.list_versions(texture_id)

        def done(result):
            if gen == self._generation and store is self.context.store:
                self._show(*result)

        self.context.lanes.reads.submit(job, on_done=done, on_error=self.context.report_error)

    def reload(self, texture_id: int) -> None:
        """After a write: new details, timeline and tile for ``texture_id``."""
        def done(result):
            texture, versions = result
            self.textureUpdated.emit(texture)
            if self._texture is not None and self._texture.id == texture.id:
                self._show(texture, versions)

        store = self.context.store
        self.context.lanes.reads.submit(lambda: (store.get_texture(texture_id),
                                                 store.list_versions(texture_id)),
                                        on_done=done, on_error=self.context.report_error)

    def reload_shown(self) -> None:
        if self._texture is not None:
            self.show_texture_id(self._texture.id)

    def open_details(self) -> None:
        self.side_tabs.show()
        self.side_tabs.setCurrentWidget(self.detail_scroll)

    def open_timeline(self) -> None:
        self.side_tabs.show()
        self.side_tabs.setCurrentWidget(self.timeline)

    def _enable_actions(self) -> None:
        self.publish_action.setEnabled(self._texture is not None and self.context.can_write())
        self.detail.set_can_write(self.context.can_write())

    def _show(self, texture: Texture | None, versions=()) -> None:
        self._texture = texture
        self._enable_actions()
        self.detail.show_texture(texture)
        self.timeline_model.set_versions(texture, list(versions))
        if texture is not None:
            self.detail.show_preview(self.thumbnails.pixmap(texture.current.id))
        self.textureShown.emit(texture)

    def _thumbnail_ready(self, version_id: int) -> None:
        if self._texture is not None and self._texture.current.id == version_id:
            self.detail.show_preview(self.thumbnails.pixmap(version_id))

    # ---- versions ---------------------------------------------------------------------------
    def _files_dropped_on_timeline(self, paths: list[str]) -> None:
        if self._texture is not None:
            self.add_versions(self._texture.id, paths)

    def add_versions(self, texture_id: int, paths: list[str]) -> None:
        files = [p for p in paths if os.path.isfile(p)]
        if not files:
            self.context.show_message("Add version failed", "Drop image files, not folders.",
                                      QMessageBox.Icon.Warning)
            return
        if not self.context.can_write():
            self.context.show_message("Add version failed", "Your level in this collection is read only.",
                                      QMessageBox.Icon.Warning)
            return
        self.context.status(f"Adding {len(files)} new version(s)…")

        def done(versions: list[Version]) -> None:
            self.context.status(f"Added v{versions[-1].number}", 5000)
            self.reload(texture_id)

        self.context.write(add_files_as_versions, texture_id, files, action="Add version", on_done=done)

    def set_colour_space(self, version_id: int, space: str) -> None:
        """The details panel's override: stored on the version; the QA rules check it again."""
        def done(version: Version) -> None:
            self.context.status(f"Colour space of v{version.number} set to {version.colour_space}", 5000)
            self.reload(version.texture_id)

        self.context.write(lambda s: s.set_colour_space(version_id, space), action="Set colour space",
                           on_done=done)

    def make_current(self, version: Version) -> None:
        def done(texture) -> None:
            self.context.status(f"v{version.number} is now current", 5000)
            self.reload(texture.id)

        self.context.write(lambda s: s.set_current_version(version.texture_id, version.id),
                           action="Make current", on_done=done)

    def publish_current(self) -> None:
        texture = self._texture
        if texture is None:
            return
        target = PublishRoots.load(self.context.store.uri).local_path(texture.original_path)
        text = (f"Write v{texture.current.number} of “{texture.name}” to\n\n{target}\n\n"
                "The file there is replaced in one step; bytes the vault does not have yet are kept "
                "as a version first.")
        if self.context.confirm("Publish current version", text, "Publish"):
            self._publish(texture)

    def _publish(self, texture: Texture, approve: str | None = None) -> None:
        def done(result: PublishResult | PublishNotApproved) -> None:
            if isinstance(result, PublishNotApproved):
                self._ask_to_approve(texture, result)
                return
            kept = (f" (the replaced file was kept as v{result.kept_version.number})"
                    if result.kept_version else "")
            self.context.status(f"Published v{result.version.number} to {result.path}{kept}", 8000)
            self.reload(result.texture_id)

        self.context.write(publish_or_ask, texture.id, approve, action="Publish", on_done=done)

    def _ask_to_approve(self, texture: Texture, question: PublishNotApproved) -> None:
        """The vault names a place this user never approved: show the full path, let them decide."""
        text = (f"“{texture.name}” would be written to\n\n{question.target}\n\nwhich is outside the "
                f"folders you approved for publishing from this vault. Approve\n\n{question.folder}\n\n"
                "(and the folders in it) and publish? Only approve folders you expect textures in.")
        if self.context.confirm("Publish outside approved folders", text, "Approve and publish"):
            self._publish(texture, str(question.folder))

    def save_version_as(self, version: Version) -> None:
        original = Path(self._texture.original_path)
        suggested = original.with_stem(f"{original.stem}_v{version.number}")
        target, _ = QFileDialog.getSaveFileName(self.context.dialog_parent, f"Save v{version.number} as",
                                                str(suggested))
        if target:
            self.save_version_to(version, target)

    def save_version_to(self, version: Version, target: str) -> None:
        self.context.write(save_version_bytes, version.id, target, action="Save as",
                           on_done=lambda path: self.context.status(f"Saved {path}", 5000))
