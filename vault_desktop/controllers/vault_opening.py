"""Opening vaults: a local folder, a server (login → token, remembered), recent ones.

Opening touches disk or network (creating a vault runs migrations), so it runs on the read lane;
the window switches store when it answers. A server that needs a password shows the connect dialog.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog

from server_api.core.errors import VaultError
from server_api.store import open_store
from vault_desktop.dialogs.connect import ConnectDialog
from vault_desktop.window_context import WindowContext
from vault_desktop.window_menus import add_action


def is_url(uri: str) -> bool:
    return uri.startswith(("http://", "https://"))


def open_remote(url: str, token: str):
    """Worker job: a RestVaultStore that has proven the token works."""
    store = open_store(url, token=token)
    try:
        store.current_user()
    except BaseException:
        store.close()
        raise
    return store


def login(url: str, username: str, password: str) -> tuple[str, object]:
    """Worker job: (token, store) for a username and password."""
    from server_api.store.rest.client import RestVaultStore

    token = RestVaultStore.login(url, username, password)
    return token, open_remote(url, token)


class VaultOpener(QObject):
    opened = Signal(object)  # the VaultStore now shown

    def __init__(self, context: WindowContext):
        super().__init__(context)
        self.context = context
        self.last_dialog: ConnectDialog | None = None
        self._add_actions()

    def _add_actions(self) -> None:
        m, parent = self.context.menu("File"), self.context.dialog_parent
        add_action(parent, m, "&Open vault folder…", lambda: self.choose_folder("Open vault folder"),
                   QKeySequence.StandardKey.Open)
        add_action(parent, m, "&New local vault…",
                   lambda: self.choose_folder("Choose an empty folder for the new vault"))
        add_action(parent, m, "&Connect to server…", self.connect_dialog, "Ctrl+Shift+O")
        recent = m.addMenu("Open &recent")
        recent.aboutToShow.connect(lambda: self._fill_recent(recent))

    def _fill_recent(self, menu) -> None:
        menu.clear()
        for uri in self.context.settings.recent_vaults():
            action = menu.addAction(uri)
            action.triggered.connect(lambda _c=False, u=uri: self.open_uri(u))
        if menu.isEmpty():
            menu.addAction("(none yet)").setEnabled(False)

    def open_uri(self, uri: str) -> None:
        """Open a folder path or a server URL; servers use their remembered token."""
        uri = uri.strip()
        if is_url(uri):
            remembered = self.context.settings.server_login(uri)
            if remembered is None:
                self.connect_dialog(url=uri)
                return
            username, token = remembered
            self.context.lanes.reads.submit(open_remote, uri, token, on_done=lambda s: self._opened(s, uri),
                                      on_error=lambda exc: self._remote_failed(uri, username, exc))
            return
        self.context.lanes.reads.submit(open_store, uri, on_done=lambda s: self._opened(s, uri),
                                  on_error=lambda exc: self.context.report_error(exc, f"Opening {uri}"))

    def choose_folder(self, title: str) -> None:
        folder = QFileDialog.getExistingDirectory(self.context.dialog_parent, title, os.path.expanduser("~"))
        if folder:
            self.open_uri(folder)

    def connect_dialog(self, url: str = "", username: str = "", message: str = "") -> None:
        dialog = ConnectDialog(self.context.settings.servers(), self.context.dialog_parent,
                               url=url, username=username)
        dialog.error.setText(message)
        dialog.accepted.connect(lambda: self._login(*dialog.values()))
        self.last_dialog = dialog
        dialog.open()

    def _login(self, url: str, username: str, password: str) -> None:
        def done(result) -> None:
            token, store = result
            self.context.settings.remember_server(url, username, token)
            self._opened(store, url)

        self.context.status(f"Connecting to {url}…")
        self.context.lanes.reads.submit(login, url, username, password, on_done=done,
                                  on_error=lambda exc: self._login_failed(url, username, exc))

    def _login_failed(self, url: str, username: str, exc: BaseException) -> None:
        if not isinstance(exc, VaultError):
            raise exc
        self.context.clear_status()
        self.connect_dialog(url, username, message=exc.message)

    def _remote_failed(self, url: str, username: str, exc: BaseException) -> None:
        if isinstance(exc, VaultError) and exc.code == "unauthenticated":
            self.context.settings.forget_server_token(url)
            self.connect_dialog(url, username, message="Your session ended: please sign in again.")
        else:
            self.context.report_error(exc, f"Connecting to {url}")

    def _opened(self, store, uri: str) -> None:
        self.context.settings.add_recent_vault(uri)
        self.context.settings.sync()
        self.context.status(f"Opened {uri}", 4000)
        self.context.set_store(store)
        self.opened.emit(store)
