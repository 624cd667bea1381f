"""A collection's activity log: every change in it (uploads, versions, publishes, shares, deletes,
materials, tags, comments, reviews: store/change_kinds.py names each kind in words) — newest first.

Pages come from ``list_events`` with its keyset cursor; scrolling to the end fetches the next page
(canFetchMore/fetchMore), so a long history never loads at once.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.change_kinds import kind_label, kind_of
from server_api.store.entities import Collection
from vault_desktop.tasks import OwnedJobs

from .records_model import Column, RecordsModel, when

PAGE = 100


class ActivityModel(RecordsModel):
    pageLoaded = Signal()  # a page arrived, or loading failed (see ``error``)

    def __init__(self, store: VaultStore, collection_id: int, lanes, parent=None):
        super().__init__([
            Column("When", lambda e: when(e.created_at)),
            Column("Who", lambda e: e.actor),
            Column("What", lambda e: kind_label(kind_of(e.action))),
            Column("Details", lambda e: e.detail),
        ], parent)
        self.store, self.collection_id = store, collection_id
        self.jobs = OwnedJobs(lanes)
        self.jobs.drop_when_destroyed(self)
        self._cursor: str | None = None
        self._complete = False
        self._loading = False
        self._generation = 0  # bumped by reload: pages of an older listing are dropped
        self.error = ""

    def reload(self) -> None:
        self._generation += 1
        self._cursor, self._complete, self._loading = None, False, False
        self.set_records([])
        self._fetch()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._complete and not self._loading

    def fetchMore(self, parent=QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        self._loading = True
        generation = self._generation
        self.jobs.read(
            self.store.list_events, self.collection_id, limit=PAGE, cursor=self._cursor,
            on_done=lambda page: self._arrived(generation, page),
            on_error=lambda exc: self._failed(generation, exc))

    def _arrived(self, generation: int, page) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._cursor, self._complete = page.next, page.next is None
        self.error = ""
        self.append_records(page.items)
        self.pageLoaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading, self._complete = False, True
        self.error = exc.message if isinstance(exc, VaultError) else str(exc)
        self.pageLoaded.emit()

    @property
    def complete(self) -> bool:
        return self._complete


class ActivityDialog(QDialog):
    def __init__(self, store: VaultStore, collection: Collection, lanes, parent=None):
        super().__init__(parent)
        self.setObjectName("activityDialog")
        self.setWindowTitle(f"Activity — {collection.name}")
        self.resize(780, 420)
        self.collection = collection
        self.model = ActivityModel(store, collection.id, lanes, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        self.status = QLabel("")
        self.model.pageLoaded.connect(self._update_status)
        self.model.pageLoaded.connect(self._fit_columns)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.model.reload)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(refresh, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.model.reload()

    def done(self, result: int) -> None:
        self.model.jobs.cancel_all()
        super().done(result)

    def refresh_if_for(self, collection_id: int) -> None:
        """Another dialog changed this collection (e.g. sharing): show it here too."""
        if collection_id == self.collection.id:
            self.model.reload()

    def _fit_columns(self) -> None:
        # ResizeToContents mode sized When and Who for the still empty table ("202…"): fit each page.
        self.view.resizeColumnToContents(0)
        self.view.resizeColumnToContents(1)
        self.view.resizeColumnToContents(2)

    def _update_status(self) -> None:
        if self.model.error:
            self.status.setText(f"Could not load the activity: {self.model.error}")
        elif self.model.rowCount() == 0 and self.model.complete:
            self.status.setText("Nothing has happened in this collection yet.")
        else:
            self.status.setText("")
