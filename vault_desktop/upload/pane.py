"""The upload pane: where files are dropped, which collection they go into, and how it goes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from server_api.core.wording import counted
from server_api.imaging.formats import FORMAT_NAMES
from server_api.store.base import VaultStore
from server_api.store.entities import Collection, level_rank
from vault_desktop.tasks import OwnedJobs

from .bars import ProgressDelegate, TotalBar
from .dropped import local_paths
from .queue import UploadQueue
from .queue_model import FILE, ICON_SIZE, IMAGE, OUTCOME, PROGRESS, STATE, LinkRole, RowKeyRole
from .tally import QueueStats

HINT = "Drop texture files or folders here\n" + " · ".join(FORMAT_NAMES)  # the one format table


def _rate_text(bytes_per_second: float) -> str:
    mb = bytes_per_second / (1024 * 1024)
    return f"{mb:.1f} MB/s" if mb >= 0.1 else f"{bytes_per_second / 1024:.0f} KB/s"


def _time_text(seconds: float) -> str:
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    return f"about {round(seconds / 60)} min left"


def stats_text(s: QueueStats) -> str:
    if not s.files:
        return "Nothing queued"
    parts = [f"{s.finished:,} of {counted(s.files, 'file')}"]
    if s.finished < s.files:
        if s.files_per_second > 0:
            parts.append(f"{s.files_per_second:.0f} files/s")
        if s.bytes_per_second > 0:
            parts.append(_rate_text(s.bytes_per_second))
        if s.seconds_left is not None:
            parts.append(_time_text(s.seconds_left))
    if s.failed:
        parts.append(f"{s.failed} need{'s' if s.failed == 1 else ''} attention")
    return " · ".join(parts)


class UploadPane(QWidget):
    textureActivated = Signal(int)  # the user asked to see this texture (e.g. "already in vault")

    def __init__(self, queue: UploadQueue, lanes, parent=None):
        super().__init__(parent)
        self.setObjectName("uploadPane")
        self.setAcceptDrops(True)
        self.queue = queue
        self.jobs = OwnedJobs(lanes)
        self.jobs.drop_when_destroyed(self)
        self._store: VaultStore | None = None
        self._collections: list[Collection] = []
        self._note = ""  # about the last drop: skipped files, an unreadable folder

        self.target = QComboBox()
        self.target.setToolTip("The collection dropped files go into; change it before they are written")
        self.target.setMinimumContentsLength(18)
        self.target.activated.connect(self._target_chosen)
        self.add_button = QPushButton("Add files…")
        self.add_button.clicked.connect(self._choose_files)
        top = QHBoxLayout()
        top.addWidget(QLabel("Upload into"))
        top.addWidget(self.target, 1)
        self.tag_folders = QCheckBox("Tag with folder names")
        self.tag_folders.setToolTip("Files in dropped folders get the names of the folders below the "
                                    "dropped one as tags (Textures/wood/oak/bark.png: wood, oak)")
        top.addWidget(self.tag_folders)
        top.addWidget(self.add_button)

        self.view = QTableView()
        self.view.setModel(queue.model)
        self.view.setItemDelegateForColumn(PROGRESS, ProgressDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(38)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((FILE, 220), (STATE, 120), (IMAGE, 170), (PROGRESS, 110)):
            header.resizeSection(column, width)
        self.view.clicked.connect(self._clicked)
        # Keep the file being written in sight, until the user scrolls for themself.
        self._follow = True
        self.view.verticalScrollBar().actionTriggered.connect(lambda _action: self._stop_following())
        self.view.doubleClicked.connect(self._double_clicked)

        self.hint = QLabel(HINT)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setObjectName("uploadDropHint")
        self.hint.setStyleSheet("#uploadDropHint { border: 2px dashed palette(mid); border-radius: 8px;"
                                " color: palette(placeholder-text); padding: 24px; }")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.hint)
        self.stack.addWidget(self.view)

        self.total = TotalBar()
        self.summary = QLabel("Nothing queued")
        # Ignored width: a new text each tick must not make the whole window lay itself out again.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cancel_selected = QPushButton("Cancel selected")
        self.cancel_all = QPushButton("Cancel all")
        self.retry = QPushButton("Retry failed")
        self.clear = QPushButton("Clear finished")
        self.cancel_selected.clicked.connect(lambda: queue.cancel(self.selected_keys()))
        self.cancel_all.clicked.connect(queue.cancel_all)
        self.retry.clicked.connect(lambda: queue.retry())  # every row a retry can help
        self.clear.clicked.connect(queue.clear_finished)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.cancel_selected, self.cancel_all, self.retry, self.clear):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.total)
        layout.addLayout(buttons)

        self._shown_failure: int | None = None
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable_buttons())
        queue.statsChanged.connect(self._show_stats)
        queue.added.connect(self._added)
        queue.afterUploadFailed.connect(lambda why: self.summary.setText(f"The files are in, but: {why}"))
        queue.model.rowsInserted.connect(self._update_stack)
        queue.model.modelReset.connect(self._update_stack)
        self._show_stats(queue.stats())
        self._update_stack()

    # ---- store and target -------------------------------------------------------------------
    def set_store(self, store: VaultStore | None, current: Collection | None = None) -> None:
        self._store = store
        self.queue.set_store(store)
        self._collections = []
        self.target.clear()
        self.reload_collections(current)

    def reload_collections(self, current: Collection | None = None) -> None:
        """Fetch the collections again (one was created, renamed or shared with us)."""
        store = self._store
        if store is not None:
            self.jobs.read(
                store.list_collections,
                on_done=lambda cols: self._collections_loaded(store, cols, current))

    def _collections_loaded(self, store, collections: list[Collection], current) -> None:
        if store is not self._store:
            return  # the vault changed while the list was loading
        keep = (current.id if current else None) or self.target_collection_id()
        self._collections = [c for c in collections if level_rank(c.my_level) >= level_rank("write")]
        self.target.clear()
        for c in self._collections:
            mine = c.my_level == "owner"
            self.target.addItem(c.name if mine else f"{c.name}  (shared by {c.owner})", c.id)
        if not self._collections:
            self.target.setPlaceholderText("no collection you can write to")
        self.select_target(keep)

    def select_target(self, collection_id: int | None) -> None:
        """Show ``collection_id`` as the target (the window's current collection, when idle)."""
        i = self.target.findData(collection_id) if collection_id is not None else -1
        if i >= 0:
            self.target.setCurrentIndex(i)

    def target_collection_id(self) -> int | None:
        data = self.target.currentData()
        return int(data) if data is not None else None

    def _target_chosen(self, _index: int) -> None:
        target = self.target_collection_id()
        if target is not None:
            self.queue.retarget(target)

    # ---- adding files -----------------------------------------------------------------------
    def drop_paths(self, paths: list[str]) -> bool:
        """Queue dropped files and folders into the target collection; False when there is none."""
        target = self.target_collection_id()
        if self._store is None or target is None:
            self.summary.setText("Choose a collection you can write to before dropping files")
            return False
        self._note = ""
        self._follow = True
        self.queue.add_paths(paths, target, tag_folders=self.tag_folders.isChecked())
        return True

    def _added(self, queued: int, skipped: int, error: str) -> None:
        if error:
            self._note = f"could not read the dropped folders: {error}"
        elif skipped:
            self._note = f"skipped {skipped} non-image file{'s' if skipped > 1 else ''} in folders"
        self._show_stats(self.queue.stats())

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add textures")
        if files:
            self.drop_paths(files)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.drop_paths(paths)

    # ---- the queue's view -------------------------------------------------------------------
    def selected_keys(self) -> list[int]:
        rows = self.view.selectionModel().selectedRows()
        return [int(i.data(RowKeyRole)) for i in rows]

    def _update_stack(self) -> None:
        self.stack.setCurrentWidget(self.view if self.queue.model.rowCount() else self.hint)

    def _stop_following(self) -> None:
        self._follow = False

    def _show_stats(self, stats: QueueStats) -> None:
        if self._follow and self.queue.writing_key is not None:
            index = self.queue.model.index_of_key(self.queue.writing_key)
            if index.isValid():
                self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        failed = self.queue.last_failed_key
        if failed is not None and failed != self._shown_failure:  # a new failure: show it
            self._shown_failure = failed
            index = self.queue.model.index_of_key(failed)
            if index.isValid():
                self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self.total.set_fraction(stats.fraction)
        self.summary.setText(" · ".join(filter(None, (stats_text(stats), self._note))))
        self._enable_buttons(stats)

    def _enable_buttons(self, stats: QueueStats | None = None) -> None:
        """Offer only what would do something: nothing to cancel, retry or clear when idle."""
        stats = stats or self.queue.stats()
        unfinished = stats.files - stats.finished
        self.cancel_all.setEnabled(unfinished > 0)
        self.cancel_selected.setEnabled(unfinished > 0 and any(
            not row.finished for row in map(self.queue.model.row_for_key, self.selected_keys()) if row))
        self.retry.setEnabled(stats.retryable > 0)
        self.clear.setEnabled(stats.finished > 0)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.queue.recheck_rejected()  # back from re-exporting a rejected file?

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == OUTCOME:
            texture_id = index.data(LinkRole)
            if texture_id is not None:
                self.textureActivated.emit(int(texture_id))

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.queue.model.row_for_key(int(index.data(RowKeyRole)))
        if row is not None and row.texture_id is not None:
            self.textureActivated.emit(row.texture_id)

