"""The "sql" face: SqlVaultStore used directly, as the server's engine, on a temp SQLite file."""

from __future__ import annotations

from pathlib import Path

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.sql.engine import sqlite_url
from server_api.store.sql.store import SqlVaultStore

PASSWORD = "correct horse battery staple"


class SqlFace:
    name = "sql"

    def __init__(self, tmp_path: Path):
        tmp_path.mkdir(parents=True, exist_ok=True)
        self._root = SqlVaultStore.open_server(sqlite_url(tmp_path / "server.db"), tmp_path / "data")
        self._root.create_admin("admin", PASSWORD)
        self.admin: VaultStore = self._root.for_user("admin")

    def user(self, username: str, admin: bool = False) -> VaultStore:
        """A store acting as ``username``, creating the account (with a password) the first time."""
        try:
            self.admin.create_user(username, PASSWORD, is_admin=admin)
        except VaultError as exc:
            if exc.code != "conflict":
                raise
        return self._root.for_user(username)

    @property
    def engine(self):
        return self._root.engine

    def close(self) -> None:
        self._root.close()


def make_face(tmp_path: Path) -> SqlFace:
    return SqlFace(tmp_path)
