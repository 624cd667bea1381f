"""Edit ▸ Version trash…: old versions the collection's retention policy moved out of the histories
(store/retention_api.py); restore some (visible again, not current), or empty it for good."""

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
from vault_desktop.sharing.records_model import Column, RecordRole, RecordsModel, size_text, when
from vault_desktop.tasks import OwnedJobs

KEEP_NOTE = ("Versions the collection's retention policy moved here stay for 30 days, then they are gone "
             "for good. A restored version is listed again but not made current.")


class VersionTrashDialog(QDialog):
    restored = Signal(list)  # ids of the textures whose versions came back
    emptied = Signal(int)  # how many versions went for good

    def __init__(self, store: VaultStore, collection: Collection, lanes, can_write: bool, parent=None):
        super().__init__(parent)
        self.setObjectName("versionTrashDialog")
        self.setWindowTitle(f"Version trash — {collection.name}")
        self.resize(640, 380)
        self.store, self.collection = store, collection
        self.jobs = OwnedJobs(lanes)
        self.jobs.drop_when_destroyed(self)
        self.model = RecordsModel([
            Column("Texture", lambda t: t.texture_name),
            Column("Version", lambda t: f"v{t.version.number}", align_right=True),
            Column("Size", lambda t: size_text(t.version.byte_size), align_right=True),
            Column("Trashed", lambda t: when(t.version.trashed_at)),
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
        self.empty = QPushButton("Empty version trash…")
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
        self._note: str | None = None  # what the last action did, said once the list is back
        self.reload()

    def reload(self) -> None:
        self.loaded = False
        self._enable()
        self.jobs.read(self.store.list_version_trash, self.collection.id, on_done=self._listed,
                       on_error=self._failed)

    def _listed(self, trashed) -> None:
        self.model.set_records(trashed)
        self.view.resizeColumnsToContents()
        self.loaded = True
        self.status.setText(self._note or (KEEP_NOTE if trashed else "The version trash is empty."))
        self._note = None
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

    def restore_selected(self) -> None:
        chosen = [i.data(RecordRole) for i in self.view.selectionModel().selectedRows()]
        if not chosen:
            return
        self.loaded = False
        self._enable()
        version_ids = [t.version.id for t in chosen]

        def restore_all(store):
            return sorted({store.restore_version(version_id).texture_id for version_id in version_ids})

        self.jobs.write(restore_all, self.store, on_done=lambda ids: self._restored(ids, len(version_ids)),
                        on_error=self._failed)

    def _restored(self, texture_ids: list[int], versions: int) -> None:
        self._note = f"Restored {counted(versions, 'version')}."
        self.restored.emit(texture_ids)
        self.reload()

    def empty_trash(self, confirmed: bool = False) -> None:
        n = self.model.rowCount()
        if not confirmed:
            answer = QMessageBox.question(
                self, "Empty version trash",
                f"Delete {counted(n, 'version')} for good?\nThis cannot be undone.",
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.loaded = False
        self._enable()
        self.jobs.write(self.store.empty_version_trash, self.collection.id,
                        on_done=self._emptied, on_error=self._failed)

    def _emptied(self, n: int) -> None:
        self.emptied.emit(n)
        self.reload()
