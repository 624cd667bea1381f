"""Undo for delete: Edit ▸ Undo delete (Ctrl+Z) brings back what the last delete moved to the trash,
and Edit ▸ Trash… lists the collection's deleted textures to restore or to empty for good; Edit ▸
Version trash… does the same for old versions a retention policy moved out of the histories."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence

from server_api.core.wording import counted
from vault_desktop.controllers.dialog_slot import DialogSlot
from vault_desktop.dialogs.trash_dialog import TrashDialog
from vault_desktop.dialogs.version_trash_dialog import VersionTrashDialog
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action


def restore_all(store, texture_ids: list[int]) -> list[int]:
    """Worker job: each texture back from the trash, in order."""
    return [store.restore_texture(texture_id).id for texture_id in texture_ids]


class TrashController(QObject):
    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self._slot = DialogSlot()
        self._versions_slot = DialogSlot()
        self._undoable: tuple[object, list[int]] | None = None  # (store, ids) of the last delete
        parent, edit = context.dialog_parent, context.menu("Edit")
        first = edit.actions()[0] if edit.actions() else None
        self.undo_action = add_action(parent, edit, "&Undo delete", self.undo, QKeySequence.StandardKey.Undo)
        if first is not None:  # Undo leads the Edit menu, as everywhere
            edit.insertAction(first, self.undo_action)
            edit.insertSeparator(first)
        self.trash_action = add_action(parent, edit, "&Trash…", self.open_trash)
        self.version_trash_action = add_action(parent, edit, "&Version trash…", self.open_version_trash)
        self._forget()
        context.storeChanged.connect(lambda _store: (self._forget(), self._slot.close(),
                                                     self._versions_slot.close()))
        context.collectionChanged.connect(lambda c: (self.trash_action.setEnabled(c is not None),
                                                     self.version_trash_action.setEnabled(c is not None)))
        context.closing.connect(self._slot.close)
        context.closing.connect(self._versions_slot.close)

    @property
    def dialog(self) -> TrashDialog | None:
        return self._slot.dialog

    def remember(self, texture_ids: list[int]) -> None:
        """The last delete (Undo brings these back)."""
        self._undoable = (self.context.store, list(texture_ids))
        self.undo_action.setText(f"&Undo delete of {counted(len(texture_ids), 'texture')}")
        self.undo_action.setEnabled(True)

    def _forget(self) -> None:
        self._undoable = None
        self.undo_action.setText("&Undo delete")
        self.undo_action.setEnabled(False)

    def undo(self) -> None:
        if self._undoable is None or self._undoable[0] is not self.context.store:
            return
        ids = self._undoable[1]
        self._forget()
        self.context.write(restore_all, ids, action="Undo delete", on_done=self._restored)

    def _restored(self, ids: list[int], from_dialog: bool = False) -> None:
        self.context.status(f"Restored {counted(len(ids), 'texture')}", 5000)
        self.context.refresh_textures()
        self.context.refresh_collections()
        if self.dialog is not None and not from_dialog:  # the dialog reloads itself
            self.dialog.reload()

    def open_trash(self) -> TrashDialog | None:
        store, collection = self.context.store, self.context.current_collection()
        if store is None or collection is None:
            return None
        dialog = self._slot.open(lambda: TrashDialog(store, collection, self.context.lanes,
                                                     self.context.can_write(), self.context.dialog_parent))
        dialog.restored.connect(lambda ids: (self._forget(), self._restored(ids, from_dialog=True)))
        dialog.emptied.connect(self._emptied)
        return dialog

    @property
    def version_dialog(self) -> VersionTrashDialog | None:
        return self._versions_slot.dialog

    def open_version_trash(self) -> VersionTrashDialog | None:
        store, collection = self.context.store, self.context.current_collection()
        if store is None or collection is None:
            return None
        dialog = self._versions_slot.open(lambda: VersionTrashDialog(
            store, collection, self.context.lanes, self.context.can_write(), self.context.dialog_parent))
        dialog.restored.connect(self._versions_restored)
        dialog.emptied.connect(self._versions_emptied)
        return dialog

    def _versions_restored(self, texture_ids: list[int]) -> None:
        self.context.status(f"Restored versions of {counted(len(texture_ids), 'texture')}", 5000)
        self.context.refresh_textures()  # their version counts changed
        for texture_id in texture_ids:  # and their histories, if one is open
            self.context.reload_texture(texture_id)

    def _versions_emptied(self, n: int) -> None:
        self.context.status(f"Deleted {counted(n, 'version')} for good", 5000)

    def _emptied(self, n: int) -> None:
        self._forget()
        self.context.status(f"Deleted {counted(n, 'texture')} for good", 5000)
