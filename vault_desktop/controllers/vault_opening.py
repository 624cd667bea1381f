"""Opening vaults: a local folder, a server (login → token, remembered), recent ones.

Opening touches disk or network (creating a vault runs migrations), so it runs on the read lane;
the window switches store when it answers. A server that needs a password shows the connect dialog.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from server_api.core.errors import VaultError
from server_api.store import open_store
from vault_desktop.dialogs.connect import ConnectDialog


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

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.last_dialog: ConnectDialog | None = None

    def open_uri(self, uri: str) -> None:
        """Open a folder path or a server URL; servers use their remembered token."""
        uri = uri.strip()
        if is_url(uri):
            remembered = self.w.settings.server_login(uri)
            if remembered is None:
                self.connect_dialog(url=uri)
                return
            username, token = remembered
            self.w.lanes.reads.submit(open_remote, uri, token, on_done=lambda s: self._opened(s, uri),
                                      on_error=lambda exc: self._remote_failed(uri, username, exc))
            return
        self.w.lanes.reads.submit(open_store, uri, on_done=lambda s: self._opened(s, uri),
                                  on_error=lambda exc: self.w.report_error(exc, f"Opening {uri}"))

    def choose_folder(self, title: str) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, title, os.path.expanduser("~"))
        if folder:
            self.open_uri(folder)

    def connect_dialog(self, url: str = "", username: str = "", message: str = "") -> None:
        dialog = ConnectDialog(self.w.settings.servers(), self.w, url=url, username=username)
        dialog.error.setText(message)
        dialog.accepted.connect(lambda: self._login(*dialog.values()))
        self.last_dialog = dialog
        dialog.open()

    def _login(self, url: str, username: str, password: str) -> None:
        def done(result) -> None:
            token, store = result
            self.w.settings.remember_server(url, username, token)
            self._opened(store, url)

        self.w.statusBar().showMessage(f"Connecting to {url}…")
        self.w.lanes.reads.submit(login, url, username, password, on_done=done,
                                  on_error=lambda exc: self._login_failed(url, username, exc))

    def _login_failed(self, url: str, username: str, exc: BaseException) -> None:
        if not isinstance(exc, VaultError):
            raise exc
        self.w.statusBar().clearMessage()
        self.connect_dialog(url, username, message=exc.message)

    def _remote_failed(self, url: str, username: str, exc: BaseException) -> None:
        if isinstance(exc, VaultError) and exc.code == "unauthenticated":
            self.w.settings.forget_server_token(url)
            self.connect_dialog(url, username, message="Your session ended: please sign in again.")
        else:
            self.w.report_error(exc, f"Connecting to {url}")

    def _opened(self, store, uri: str) -> None:
        self.w.settings.add_recent_vault(uri)
        self.w.settings.sync()
        self.w.statusBar().showMessage(f"Opened {uri}", 4000)
        self.w.set_store(store)
        self.opened.emit(store)
