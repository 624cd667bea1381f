"""Tags in the details panel: shows the texture's tags, adds and removes them (write level), and
completes from the vault's vocabulary. Loads run on the reads lane; an answer for a texture no
longer shown is dropped."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from server_api.store.entities import Texture
from vault_desktop.views.tag_editor import TagEditor
from vault_desktop.window_context import WindowContext


def load_tags(store, texture_id: int) -> tuple[list[str], list[str]]:
    """Worker job: (the texture's tags, every tag name in the vault)."""
    return store.texture_tags(texture_id), [t.name for t in store.list_tags()]


def change_tags(store, texture_ids: list[int], add: list[str], remove: list[str]) -> int:
    """Worker job: the same change on every texture, all or nothing (the store's rule)."""
    store.tag_textures(texture_ids, add=add, remove=remove)
    return len(texture_ids)


class TagsController(QObject):
    tagged = Signal()  # tags changed (the filter box completes the new names)

    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self.editor = TagEditor(context.dialog_parent)
        self._texture_id: int | None = None
        self.selected_ids = lambda: []  # the grid's selection (main_window sets it)
        self.editor.addRequested.connect(lambda name: self._change([name], []))
        self.editor.removeRequested.connect(lambda name: self._change([], [name]))
        context.storeChanged.connect(lambda _store: self.show_texture(None))

    def show_texture(self, texture: Texture | None) -> None:
        """Follow the details panel (connected to its textureShown)."""
        self._texture_id = texture.id if texture is not None else None
        self.selection_changed()
        if texture is None or self.context.store is None:
            self.editor.show_tags(None)
            return
        self._load(texture.id)

    def _load(self, texture_id: int) -> None:
        store = self.context.store
        self.context.lanes.reads.submit(
            load_tags, store, texture_id,
            on_done=lambda answer: self._loaded(store, texture_id, answer),
            on_error=self.context.report_error)

    def _loaded(self, store, texture_id: int, answer: tuple[list[str], list[str]]) -> None:
        if store is not self.context.store or texture_id != self._texture_id:
            return  # another texture or vault by now
        tags, vocabulary = answer
        self.editor.set_vocabulary(vocabulary)
        self.editor.show_tags(tags, editable=self.context.can_write())

    def selection_changed(self) -> None:
        self.editor.set_selected_count(len(self._targets()))

    def _targets(self) -> list[int]:
        """The shown texture, or every selected one when it is among several selected."""
        if self._texture_id is None:
            return []
        selected = self.selected_ids()
        return selected if len(selected) > 1 and self._texture_id in selected else [self._texture_id]

    def _change(self, add: list[str], remove: list[str]) -> None:
        targets, shown = self._targets(), self._texture_id
        if not targets:
            return

        def done(count: int) -> None:
            if count > 1:
                what = ", ".join([f"+{n}" for n in add] + [f"−{n}" for n in remove])
                self.context.status(f"Tagged {count:,} textures: {what}", 6000)
            self._load(shown)
            self.tagged.emit()

        self.context.write(change_tags, targets, add, remove, action="Tagging", on_done=done)
