"""Server administration: accounts (create, disable/enable, reset password) and storage per collection
with its retention policy (storage_tab.py).

Only server admins reach it (the menu action is hidden for others, and the store refuses anyway).
Disabled accounts are listed too (greyed, "disabled"), so any of them can be enabled from the list.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import User
from vault_desktop.tasks import OwnedJobs

from .records_model import Column, RecordsModel, select_username, selected_record, when
from .storage_tab import StorageTab


def _table(model: RecordsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return view


class NewUserDialog(QDialog):
    """Username, display name, first password, admin or not."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("New account")
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.is_admin = QCheckBox("Server admin (sees and manages everything)")
        form = QFormLayout(self)
        form.addRow("Username", self.username)
        form.addRow("Display name", self.display_name)
        form.addRow("Password", self.password)
        form.addRow("", self.is_admin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class AdminDialog(QDialog):
    def __init__(self, store: VaultStore, lanes, parent=None):
        super().__init__(parent)
        self.setObjectName("adminDialog")
        self.setWindowTitle("Server admin")
        self.resize(680, 460)
        self.store = store
        self.jobs = OwnedJobs(lanes)  # dropped on close: results never reach deleted widgets
        self.jobs.drop_when_destroyed(self)

        self.users = RecordsModel([
            Column("Username", lambda u: u.username, muted=lambda u: not u.is_active),
            Column("Name", lambda u: u.display_name, muted=lambda u: not u.is_active),
            Column("Role", lambda u: "admin" if u.is_admin else "user", muted=lambda u: not u.is_active),
            Column("Status", lambda u: "active" if u.is_active else "disabled",
                   muted=lambda u: not u.is_active),
            Column("Since", lambda u: when(u.created_at), muted=lambda u: not u.is_active),
        ], self)
        self.users_view = _table(self.users)
        self.users_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_user = QPushButton("New account…")
        self.toggle_active = QPushButton("Disable")
        self.reset_password = QPushButton("Reset password…")
        self.new_user.clicked.connect(self._create)
        self.toggle_active.clicked.connect(self._toggle_active)
        self.reset_password.clicked.connect(self._reset_password)
        user_buttons = QHBoxLayout()
        for button in (self.new_user, self.toggle_active, self.reset_password):
            user_buttons.addWidget(button)
        user_buttons.addStretch(1)
        users_tab = QWidget()
        users_layout = QVBoxLayout(users_tab)
        users_layout.addWidget(self.users_view, 1)
        users_layout.addLayout(user_buttons)

        self.storage_tab = StorageTab(store, self.jobs)  # bytes, retention preview and policy
        self.storage_tab.said.connect(lambda text, error: self._show(text, error))
        self.storage = self.storage_tab.model
        self.storage_view = self.storage_tab.view
        self.storage_total = self.storage_tab.total

        self.tabs = QTabWidget()
        self.tabs.addTab(users_tab, "Users")
        self.tabs.addTab(self.storage_tab, "Storage")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._update_buttons()
        self.reload()

    def done(self, result: int) -> None:
        self.jobs.cancel_all()
        super().done(result)

    # ---- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        self.jobs.read(self.store.list_users, "", 500, include_inactive=True, on_done=self._users_loaded,
                       on_error=lambda exc: self._show_error(exc, "list the accounts"))
        self.storage_tab.reload()

    def _users_loaded(self, users: list[User]) -> None:
        keep = self.selected_user()
        self.users.set_records(sorted(users, key=lambda u: u.username))
        if keep is not None:
            self.select_user(keep.username)
        self._update_buttons()

    # ---- selection --------------------------------------------------------------------------
    def selected_user(self) -> User | None:
        return selected_record(self.users_view)

    def select_user(self, username: str) -> bool:
        return select_username(self.users_view, username)

    def _update_buttons(self, *_args) -> None:
        user = self.selected_user()
        self.toggle_active.setEnabled(user is not None)
        self.reset_password.setEnabled(user is not None and user.is_active)
        self.toggle_active.setText("Enable" if user is not None and not user.is_active else "Disable")

    # ---- changes ----------------------------------------------------------------------------
    def _create(self) -> None:
        form = NewUserDialog(self)
        if form.exec() == QDialog.DialogCode.Accepted:
            self.create_user(form.username.text().strip(), form.password.text(),
                             form.display_name.text().strip(), form.is_admin.isChecked())

    def create_user(self, username: str, password: str, display_name: str = "",
                    is_admin: bool = False) -> None:
        self._write(self.store.create_user, username, password or None, is_admin=is_admin,
                    display_name=display_name, what=f"create the account {username!r}",
                    done=lambda user: self._said(f"Created {user.username}."))

    def _toggle_active(self) -> None:
        user = self.selected_user()
        if user is not None:
            self.set_active(user.username, not user.is_active)

    def set_active(self, username: str, active: bool) -> None:
        def done(user: User) -> None:
            self._said(f"{'Enabled' if user.is_active else 'Disabled'} {user.username}.")

        self._write(self.store.set_user_active, username, active, done=done,
                    what=f"{'enable' if active else 'disable'} {username}")

    def _reset_password(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        password, ok = QInputDialog.getText(self, "Reset password", f"New password for {user.username}:",
                                            QLineEdit.EchoMode.Password)
        if ok and password:
            self.set_password(user.username, password)

    def set_password(self, username: str, password: str) -> None:
        self._write(self.store.set_password, username, password,
                    what=f"reset {username}'s password",
                    done=lambda _none: self._said(f"New password set for {username}."))

    def _write(self, call, *args, what: str, done, **kwargs) -> None:
        def finished(result) -> None:
            done(result)
            self.reload()

        self.jobs.write(call, *args, on_done=finished,
                                  on_error=lambda exc: self._show_error(exc, what), **kwargs)

    def _said(self, text: str) -> None:
        self._show(text, False)

    def _show(self, text: str, error: bool) -> None:
        self.status.setStyleSheet("color: #e0645c;" if error else "")
        self.status.setText(text)

    def _show_error(self, exc: BaseException, what: str) -> None:
        message = exc.message if isinstance(exc, VaultError) else f"{type(exc).__name__}: {exc}"
        self.status.setStyleSheet("color: #e0645c;")
        self.status.setText(f"Could not {what}: {message}")
