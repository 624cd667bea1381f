"""Edit ▸ Trash…: the current collection's deleted textures; restore some, or empty it for good."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.store.base import VaultStore
from server_api.store.entities import Collection
from vault_desktop.sharing.records_model import Column, RecordRole, RecordsModel, when
from vault_desktop.tasks import OwnedJobs

KEEP_NOTE = "Deleted textures stay here for 30 days, then they are gone for good."


class TrashDialog(QDialog):
    restored = Signal(list)  # ids of textures back in the collection
    emptied = Signal(int)  # how many went for good

    def __init__(self, store: VaultStore, collection: Collection, lanes, can_write: bool, parent=None):
        super().__init__(parent)
        self.setObjectName("trashDialog")
        self.setWindowTitle(f"Trash — {collection.name}")
        self.resize(620, 380)
        self.store, self.collection = store, collection
        self.jobs = OwnedJobs(lanes)
        self.jobs.drop_when_destroyed(self)
        self.model = RecordsModel([
            Column("Name", lambda t: t.name),
            Column("Versions", lambda t: str(t.version_count), align_right=True),
            Column("Deleted", lambda t: when(t.deleted_at)),
        ], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.status = QLabel(KEEP_NOTE)
        self.status.setWordWrap(True)
        self.restore = QPushButton("Restore")
        self.restore.clicked.connect(self.restore_selected)
        self.empty = QPushButton("Empty trash…")
        self.empty.setAutoDefault(False)  # Enter never starts the one step that cannot be undone
        self.restore.setAutoDefault(False)
        self.empty.clicked.connect(lambda: self.empty_trash())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.empty, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._can_write = can_write
        self.loaded = False
        self.reload()

    def reload(self) -> None:
        self.loaded = False
        self._enable()
        self.jobs.read(self.store.list_trash, self.collection.id, on_done=self._listed, on_error=self._failed)

    def _listed(self, textures) -> None:
        self.model.set_records(textures)
        self.view.resizeColumnsToContents()
        self.loaded = True
        self.status.setText(KEEP_NOTE if textures else "The trash is empty.")
        self._enable()

    def _failed(self, exc: BaseException) -> None:
        self.loaded = True
        self.status.setText(exc.message if isinstance(exc, VaultError) else str(exc))
        self._enable()

    def _enable(self) -> None:
        chosen = bool(self.view.selectionModel().selectedRows())
        self.restore.setEnabled(self._can_write and self.loaded and chosen)
        self.empty.setEnabled(self._can_write and self.loaded and self.model.rowCount() > 0)
        if not self._can_write:
            self.restore.setToolTip("Your level in this collection is read only")

    def select_all(self) -> None:
        self.view.selectAll()

    def restore_selected(self) -> None:
        ids = [i.data(RecordRole).id for i in self.view.selectionModel().selectedRows()]
        if not ids:
            return
        self.loaded = False
        self._enable()

        def restore_all(store):
            return [store.restore_texture(texture_id).id for texture_id in ids]

        self.jobs.write(restore_all, self.store, on_done=self._restored, on_error=self._failed)

    def _restored(self, ids: list[int]) -> None:
        self.status.setText(f"Restored {counted(len(ids), 'texture')}.")
        self.restored.emit(ids)
        self.reload()

    def empty_trash(self, confirmed: bool = False) -> None:
        n = self.model.rowCount()
        if not confirmed:
            answer = QMessageBox.question(
                self, "Empty trash", f"Delete {counted(n, 'texture')} and all their versions for good?\n"
                "This cannot be undone.", QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.loaded = False
        self._enable()
        self.jobs.write(self.store.empty_trash, self.collection.id,
                        on_done=self._emptied, on_error=self._failed)

    def _emptied(self, n: int) -> None:
        self.emptied.emit(n)
        self.reload()
