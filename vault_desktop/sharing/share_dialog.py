"""Share one collection: who has access and at what level; add, change, revoke.

Everything the dialog shows comes from the store (reads lane); every change is one store call in
the writes lane and is shown at once by reloading the list. Whether the caller may change anything
is the store's rule too (``my_level`` and server admin); the dialog only mirrors it, so a refused
change still shows the store's own message.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import GRANTABLE_LEVELS, Collection, Grant, level_rank
from vault_desktop.tasks import OwnedJobs

from .records_model import Column, RecordsModel, select_username, selected_record, when

LOCAL_NOTE = "Sharing needs a shared server: a local vault lives on this computer only."
READ_ONLY_NOTE = "Only the owner and admins of this collection can change who has access."
LEVEL_HELP = {
    "read": "see and download textures",
    "write": "also add versions, publish, delete",
    "admin": "also share and rename the collection",
}
LEGEND = " · ".join(f"<b>{level.capitalize()}</b> {text}" for level, text in LEVEL_HELP.items())
SEARCH_DELAY_MS = 200


def _load(store: VaultStore, collection_id: int):
    """Runs in the reads lane: the collection, its grants, who is asking, and people's full names."""
    names = {u.username: u.display_name for u in store.list_users("", 500) if u.display_name}
    return (store.get_collection(collection_id), store.list_grants(collection_id),
            store.current_user(), names)


def _username(entry: str) -> str:
    """``bob — Bob Builder`` (a completion) or ``bob`` (typed) → ``bob``."""
    return entry.split(" — ", 1)[0].strip()


class ShareDialog(QDialog):
    sharingChanged = Signal(int)  # collection id: a grant was added, changed or revoked

    def __init__(self, store: VaultStore, collection: Collection, lanes, parent=None):
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self.setWindowTitle(f"Share “{collection.name}”")
        self.resize(620, 440)
        self.store, self.collection = store, collection
        self.jobs = OwnedJobs(lanes)  # dropped on close: results never reach deleted widgets
        self.jobs.drop_when_destroyed(self)
        self.can_manage = False
        self.writing = False  # a change is on its way to the store: the controls wait
        self._error = ""  # the last refused change, shown until the next change
        self._loaded_once = False

        self.heading = QLabel(f"<b>{collection.name}</b> · owned by {collection.owner}")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setObjectName("shareNote")

        self._names: dict[str, str] = {}  # username → display name
        self.model = RecordsModel([
            Column("Person", self._person),
            Column("Access", lambda g: g.level.capitalize()),
            Column("Shared by", lambda g: g.granted_by or ""),
            Column("Since", lambda g: when(g.granted_at)),
        ], self)
        self.people = QTableView()
        self.people.setModel(self.model)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.verticalHeader().hide()
        self.people.setShowGrid(False)
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.people.selectionModel().selectionChanged.connect(self._selection_changed)

        self.selected_level = self._level_combo()
        self.selected_level.activated.connect(self._change_selected)
        self.revoke = QPushButton("Remove access")
        self.revoke.clicked.connect(self._revoke_selected)
        selected_row = QHBoxLayout()
        selected_row.addWidget(QLabel("Selected person:"))
        selected_row.addWidget(self.selected_level)
        selected_row.addWidget(self.revoke)
        selected_row.addStretch(1)

        self.person = QLineEdit()
        self.person.setPlaceholderText("Add a person: type a name…")
        self.matches = QStringListModel(self)  # names matching what is typed, for the completer
        completer = QCompleter(self.matches, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.person.setCompleter(completer)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search)
        self.person.textEdited.connect(lambda _text: self._search_timer.start())
        self.person.returnPressed.connect(self._add)
        self.new_level = self._level_combo()
        self.share = QPushButton("Share")
        self.share.setDefault(True)
        self.share.clicked.connect(self._add)
        add_row = QHBoxLayout()
        add_row.addWidget(self.person, 1)
        add_row.addWidget(self.new_level)
        add_row.addWidget(self.share)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.people, 1)
        self.legend = QLabel(LEGEND)
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #8a8f98;")
        self._editing = QWidget()
        editing = QVBoxLayout(self._editing)
        editing.setContentsMargins(0, 0, 0, 0)
        editing.addLayout(selected_row)
        editing.addLayout(add_row)
        editing.addWidget(self.legend)
        layout.addWidget(self._editing)
        layout.addWidget(buttons)
        self._update_controls()
        self.reload()

    def done(self, result: int) -> None:
        self.jobs.cancel_all()
        super().done(result)

    def _person(self, grant: Grant) -> str:
        name = self._names.get(grant.username)
        return f"{name} ({grant.username})" if name else grant.username

    @staticmethod
    def _level_combo() -> QComboBox:
        combo = QComboBox()
        for i, level in enumerate(GRANTABLE_LEVELS):
            combo.addItem(level.capitalize(), level)
            combo.setItemData(i, LEVEL_HELP[level], Qt.ItemDataRole.ToolTipRole)
        return combo

    # ---- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        self.jobs.read(_load, self.store, self.collection.id,
                                 on_done=self._loaded, on_error=self._show_error)

    def _loaded(self, result) -> None:
        collection, grants, me, names = result
        self.collection, self._names, self._loaded_once = collection, names, True
        keep = self.selected_grant()
        self.model.set_records(grants)
        self.can_manage = self.store.kind != "local" and (
            level_rank(collection.my_level) >= level_rank("admin") or me.is_admin)
        self._show_note()
        if keep is not None:
            self.select_person(keep.username)
        self._update_controls()

    def _search(self) -> None:
        text = self.person.text().strip()
        if not text or not self.can_manage:
            return
        granted = {g.username for g in self.model.records()}
        self.jobs.read(
            self.store.list_users, text, 20,
            on_done=lambda users: self.matches.setStringList(
                [f"{u.username} — {u.display_name}" if u.display_name else u.username
                 for u in users if u.username not in granted]),
            on_error=self._show_error)

    # ---- selection --------------------------------------------------------------------------
    def selected_grant(self) -> Grant | None:
        return selected_record(self.people)

    def select_person(self, username: str) -> bool:
        return select_username(self.people, username)

    def _selection_changed(self, *_args) -> None:
        grant = self.selected_grant()
        if grant is not None and grant.level in GRANTABLE_LEVELS:
            self.selected_level.setCurrentIndex(self.selected_level.findData(grant.level))
        self._update_controls()

    def _update_controls(self) -> None:
        grant = self.selected_grant()
        editable = self.can_manage and not self.writing
        changeable = editable and grant is not None and grant.level != "owner"
        self.selected_level.setEnabled(changeable)
        self.revoke.setEnabled(changeable)
        for widget in (self.person, self.new_level, self.share):
            widget.setEnabled(editable)
        # A local vault shows the controls greyed out (sharing exists, just not here); someone who
        # may only look gets a plain list.
        self._editing.setVisible(self._loaded_once and (self.can_manage or self.store.kind == "local"))
        if grant is not None and grant.level == "owner":
            self.revoke.setToolTip("The owner always has full access and cannot be removed")
        else:
            self.revoke.setToolTip("")

    # ---- changes ----------------------------------------------------------------------------
    def _add(self) -> None:
        username = _username(self.person.text())
        if not username or not self.can_manage:
            return
        level = self.new_level.currentData()
        self._write(self.store.set_grant, username, level, done=lambda: self.person.clear(),
                    what=f"share with {username}")

    def _change_selected(self, _index: int) -> None:
        grant = self.selected_grant()
        level = self.selected_level.currentData()
        if grant is not None and grant.level != level:
            self._write(self.store.set_grant, grant.username, level,
                        what=f"change {grant.username}'s access")

    def _revoke_selected(self) -> None:
        grant = self.selected_grant()
        if grant is not None:
            self._write(self.store.revoke_grant, grant.username,
                        what=f"remove {grant.username}'s access")

    def _write(self, call, *args, what: str, done=None) -> None:
        self.writing, self._error = True, ""
        self._update_controls()

        def finished(_result) -> None:
            self.writing = False
            if done is not None:
                done()
            self.sharingChanged.emit(self.collection.id)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.writing = False
            self._show_error(exc, what)
            self.reload()  # show what the store really holds now

        self.jobs.write(call, self.collection.id, *args, on_done=finished, on_error=failed)

    def _show_error(self, exc: BaseException, what: str = "load the people with access") -> None:
        message = exc.message if isinstance(exc, VaultError) else f"{type(exc).__name__}: {exc}"
        self._error = f"Could not {what}: {message}"
        self._show_note()
        self._update_controls()

    def _show_note(self) -> None:
        if self._error:
            text, color = self._error, "#e0645c"
        elif self.store.kind == "local":
            text, color = LOCAL_NOTE, "palette(placeholder-text)"
        elif not self.can_manage:
            text, color = f"You have {self.collection.my_level} access. {READ_ONLY_NOTE}", \
                "palette(placeholder-text)"
        else:
            text, color = "", ""
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.note.setStyleSheet(f"color: {color};" if color else "")
