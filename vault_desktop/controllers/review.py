"""Review in the main window (issue 16): under the timeline, the selected version's comments and
review status (admins set it); review badges on the grid's tiles; Collection ▸ Require review.
Loads run on the reads lane and answers for a version no longer selected are dropped; writes go
through the write lane and reload what they changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from server_api.store.entities import Texture, level_rank
from server_api.store.review_entities import Comment
from vault_desktop.views.review_panel import ReviewPanel
from vault_desktop.views.timeline_panel import TimelinePanel
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action


def load_review(store, version_id: int):
    """Worker job: the version's comments, its review state and who the caller is."""
    return store.list_comments(version_id), store.review_state(version_id), store.current_user().username


class ReviewController(QObject):
    reviewShown = Signal(int)  # the panel now shows this version's review

    def __init__(self, context: WindowContext, timeline: TimelinePanel, grid):
        super().__init__(context)
        self.context = context
        self.timeline, self.grid = timeline, grid
        self.panel = ReviewPanel(context.dialog_parent)
        self._texture: Texture | None = None
        self._version: tuple[int, int] | None = None  # (id, number) shown
        self.panel.commentRequested.connect(self.add_comment)
        self.panel.editRequested.connect(self.edit_comment)
        self.panel.deleteRequested.connect(self.delete_comment)
        self.panel.statusChosen.connect(self.set_status)
        timeline.list.selectionModel().selectionChanged.connect(lambda *_: self._follow_selection())
        timeline.model.modelReset.connect(self._follow_selection)
        self.require_action = add_action(context.dialog_parent, context.menu("Collection"),
                                         "Require &review",
                                         lambda: self._require_toggled(self.require_action.isChecked()))
        self.require_action.setCheckable(True)
        self.require_action.setToolTip("New versions in this collection start as 'needs review'")
        context.collectionChanged.connect(self._collection_changed)
        context.collectionUpdated.connect(lambda _c: self._enable_require())
        context.texturesRefreshRequested.connect(self.reload_badges)
        context.storeChanged.connect(lambda _s: self.show_texture(None))
        self._enable_require()

    # ---- what is shown ----------------------------------------------------------------------
    def show_texture(self, texture: Texture | None) -> None:
        """Follow the details panel (connected to the versions controller's textureShown)."""
        self._texture = texture
        self._follow_selection()

    def _follow_selection(self) -> None:
        chosen = self.timeline.selected_versions()
        version = chosen[0] if chosen else (self._texture.current if self._texture is not None else None)
        if version is None:
            self._version = None
            self.panel.show_review(None, [], None)
            return
        self._version = (version.id, version.number)
        self._load()

    def _load(self) -> None:
        store, shown = self.context.store, self._version
        if store is None or shown is None:
            return

        def arrived(answer) -> None:
            if store is self.context.store and self._version == shown:
                comments, state, me = answer
                self.panel.show_review(shown[1], comments, state, me=me, admin=self._is_admin())
                self.reviewShown.emit(shown[0])

        self.context.lanes.reads.submit(load_review, store, shown[0], on_done=arrived,
                                        on_error=self.context.report_error)

    def refresh(self) -> None:
        """Someone changed the vault (the live feed): the shown review and the badges again."""
        self._load()
        self.reload_badges()

    def _is_admin(self) -> bool:
        collection = self.context.current_collection()
        return collection is not None and level_rank(collection.my_level) >= level_rank("admin")

    # ---- writes -----------------------------------------------------------------------------
    def add_comment(self, text: str) -> None:
        if self._version is not None:
            self.context.write(lambda store, vid: store.add_comment(vid, text), self._version[0],
                               action="Comment", on_done=lambda _c: self._load())

    def edit_comment(self, comment: Comment, text: str) -> None:
        self.context.write(lambda store: store.edit_comment(comment.id, text), action="Edit comment",
                           on_done=lambda _c: self._load())

    def delete_comment(self, comment: Comment) -> None:
        if self.context.confirm("Delete comment", f"Delete {comment.author}'s comment?", "Delete"):
            self.context.write(lambda store: store.delete_comment(comment.id), action="Delete comment",
                               on_done=lambda _r: self._load())

    def set_status(self, status: str) -> None:
        if self._version is not None:
            self.context.write(lambda store, vid: store.set_review_status(vid, status), self._version[0],
                               action="Review", on_done=lambda _s: (self._load(), self.reload_badges()))

    # ---- the collection: badges and the setting ---------------------------------------------
    def _collection_changed(self, collection) -> None:
        self.grid.itemDelegate().review_badges = {}
        self._enable_require()
        store = self.context.store
        if collection is None or store is None:
            return
        self.reload_badges()
        self.context.lanes.reads.submit(
            lambda: store.review_required(collection.id),
            on_done=lambda on: self._required_loaded(collection.id, on), on_error=self.context.report_error)

    def _required_loaded(self, collection_id: int, on: bool) -> None:
        now = self.context.current_collection()
        if now is not None and now.id == collection_id:
            self.require_action.blockSignals(True)
            self.require_action.setChecked(on)
            self.require_action.blockSignals(False)

    def _enable_require(self) -> None:
        self.require_action.setEnabled(self._is_admin())

    def _require_toggled(self, on: bool) -> None:
        collection = self.context.current_collection()
        if collection is None:
            return
        self.context.write(lambda store: store.set_review_required(collection.id, on),
                           action="Require review", on_done=lambda now: self.context.status(
                               f"Review {'required' if now else 'off'} in {collection.name}", 6000))

    def reload_badges(self) -> None:
        store, collection = self.context.store, self.context.current_collection()
        if store is None or collection is None:
            return

        def arrived(statuses: dict[int, str]) -> None:
            now = self.context.current_collection()
            if store is self.context.store and now is not None and now.id == collection.id:
                self.grid.itemDelegate().review_badges = statuses
                self.grid.viewport().update()

        self.context.lanes.reads.submit(store.review_statuses, collection.id, on_done=arrived,
                                        on_error=self.context.report_error)
