"""The admin dialog's Storage tab: bytes per collection, the bytes only it uses, its retention policy
and what that policy would free; an admin picks a collection and a keep-last, sees what it would move
to the version trash (a preview), and applies it after a confirm (store/retention_api.py).

Every store call runs off the GUI thread (the dialog's OwnedJobs); results that come back after the
selection changed are dropped by checking the collection they were for.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.store.entities import StorageUsage
from server_api.store.retention_api import RetentionReport

from .records_model import Column, RecordsModel, selected_record, size_text

KEEP_ALL = 0  # the spin box's lowest value reads "keep every version"


def _policy(keep_last: int | None) -> str:
    return f"keep {keep_last}" if keep_last else "keep all"


def _would(u: StorageUsage) -> str:
    return f"{u.would_trash_versions:,} ({size_text(u.would_trash_bytes)})" if u.would_trash_versions else "–"


def preview_words(name: str, report: RetentionReport) -> str:
    policy = (f"Keeping the last {counted(report.keep_last, 'version')}" if report.keep_last
              else "Keeping every version")
    if not report.versions:
        return f"{policy} in {name} would move nothing to the version trash."
    return (f"{policy} in {name} would move {counted(report.versions, 'version')} of "
            f"{counted(report.textures, 'texture')} ({size_text(report.byte_size)}) to the version trash; "
            f"gc frees {size_text(report.reclaimable_bytes)} once they are purged (they stay restorable "
            "for 30 days).")


class StorageTab(QWidget):
    said = Signal(str, bool)  # a message for the dialog's status line, and whether it is an error

    def __init__(self, store, jobs, parent=None):
        super().__init__(parent)
        self.store = store
        self.jobs = jobs
        self.model = RecordsModel([
            Column("Collection", lambda s: s.collection_name),
            Column("Owner", lambda s: s.owner),
            Column("Textures", lambda s: f"{s.texture_count:,}", align_right=True),
            Column("Versions", lambda s: f"{s.version_count:,}", align_right=True),
            Column("Size", lambda s: size_text(s.byte_size), align_right=True),
            Column("Only here", lambda s: size_text(s.unique_bytes), align_right=True),
            Column("Policy", lambda s: _policy(s.keep_last)),
            Column("Would trash", _would, align_right=True),
            Column("Would free", lambda s: size_text(s.would_free_bytes) if s.would_trash_versions else "–",
                   align_right=True),
        ], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.total = QLabel("")

        self.keep_last = QSpinBox()
        self.keep_last.setRange(KEEP_ALL, 999)
        self.keep_last.setSpecialValueText("every version")
        self.keep_last.valueChanged.connect(self._changed)
        self.preview_button = QPushButton("Preview")
        self.apply_button = QPushButton("Apply…")
        self.preview_button.clicked.connect(self.preview)
        self.apply_button.clicked.connect(self.ask_to_apply)
        self.preview_text = QLabel("Select a collection to see what a retention policy would free.")
        self.preview_text.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Keep the last"))
        row.addWidget(self.keep_last)
        row.addWidget(QLabel("versions of each texture (and every current or published one)"))
        row.addStretch(1)
        row.addWidget(self.preview_button)
        row.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.total)
        layout.addLayout(row)
        layout.addWidget(self.preview_text)
        self.confirm_box: QMessageBox | None = None
        self._previewed: RetentionReport | None = None
        self._update_buttons()

    # ---- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        self.jobs.read(self.store.storage_usage, on_done=self._loaded,
                       on_error=lambda exc: self.said.emit(_failed(exc, "measure storage"), True))

    def _loaded(self, usage: list[StorageUsage]) -> None:
        keep = self.selected()
        self.model.set_records(sorted(usage, key=lambda s: -s.byte_size))
        total = sum(s.byte_size for s in usage)
        self.total.setText(f"{counted(len(usage), 'collection')} · {size_text(total)} in all")
        if keep is not None:
            self.select_collection(keep.collection_id)

    # ---- selection --------------------------------------------------------------------------
    def selected(self) -> StorageUsage | None:
        return selected_record(self.view)

    def select_collection(self, collection_id: int) -> bool:
        for row, record in enumerate(self.model.records()):
            if record.collection_id == collection_id:
                self.view.selectRow(row)
                return True
        return False

    def _selected(self, *_args) -> None:
        usage = self.selected()
        if usage is not None and (self._previewed is None
                                  or self._previewed.collection_id != usage.collection_id):
            self.keep_last.setValue(usage.keep_last or KEEP_ALL)
            self._changed()
            self.preview()
        self._update_buttons()

    def _changed(self, *_args) -> None:
        self._previewed = None  # apply only what was previewed
        self._update_buttons()

    def _update_buttons(self) -> None:
        usage = self.selected()
        self.preview_button.setEnabled(usage is not None)
        self.apply_button.setEnabled(usage is not None and self._previewed is not None)

    def _wanted(self) -> int | None:
        return self.keep_last.value() or None

    # ---- preview, then apply ----------------------------------------------------------------
    def preview(self) -> None:
        usage = self.selected()
        if usage is None:
            return
        wanted = self._wanted()

        def shown(report: RetentionReport) -> None:
            now = self.selected()
            if now is None or now.collection_id != report.collection_id or self._wanted() != wanted:
                return  # the admin moved on: this answer is for something else
            self._previewed = report
            self.preview_text.setText(preview_words(usage.collection_name, report))
            self._update_buttons()

        self.jobs.read(self.store.retention_preview, usage.collection_id, wanted, on_done=shown,
                       on_error=lambda exc: self.said.emit(_failed(exc, "preview the policy"), True))

    def ask_to_apply(self) -> None:
        usage, report = self.selected(), self._previewed
        if usage is None or report is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Set retention",
                          preview_words(usage.collection_name, report) + "\n\nSet this policy now? "
                          "It also applies whenever new versions land in the collection.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Set policy")
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(
            lambda: self.apply(usage.collection_id, usage.collection_name, report.keep_last))
        self.confirm_box = box
        box.open()

    def apply(self, collection_id: int, name: str, keep_last: int | None) -> None:
        def done(report: RetentionReport) -> None:
            self._previewed = None
            moved = counted(report.versions, "version")
            self.said.emit(f"{name}: {_policy(keep_last)}; {moved} moved to the version trash.", False)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.said.emit(_failed(exc, f"set the retention of {name}"), True)

        self.jobs.write(self.store.set_retention, collection_id, keep_last, on_done=done, on_error=failed)


def _failed(exc: BaseException, what: str) -> str:
    message = exc.message if isinstance(exc, VaultError) else f"{type(exc).__name__}: {exc}"
    return f"Could not {what}: {message}"
