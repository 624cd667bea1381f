"""The "rest-sqlite" and "rest-postgres" faces: RestVaultStore → a real uvicorn on 127.0.0.1 →
SqlVaultStore on SQLite or on a throwaway PostgreSQL database. Every account signs in for real."""

from __future__ import annotations

from pathlib import Path

from live_server import PASSWORD, LiveServer

from server_api.errors import VaultError
from server_api.store.base import VaultStore


class RestFace:
    def __init__(self, name: str, tmp_path: Path, database_url: str | None = None):
        self.name = name
        self.server = LiveServer(tmp_path / "server", database_url=database_url).start()
        self.admin: VaultStore = self.server.store(self.server.add_user("admin", admin=True))
        self._stores: dict[str, VaultStore] = {"admin": self.admin}

    def user(self, username: str, admin: bool = False) -> VaultStore:
        """A RestVaultStore signed in as ``username``, creating the account the first time."""
        if username not in self._stores:
            try:
                self.admin.create_user(username, PASSWORD, is_admin=admin)
            except VaultError as exc:
                if exc.code != "conflict":
                    raise
            self._stores[username] = self.server.store(self.server.login(username))
        return self._stores[username]

    def close(self) -> None:
        for store in self._stores.values():
            store.close()
        self.server.stop()


def make_sqlite_face(tmp_path: Path) -> RestFace:
    return RestFace("rest-sqlite", tmp_path)


def make_postgres_face(tmp_path: Path) -> RestFace:
    from postgres import fresh_database_url

    return RestFace("rest-postgres", tmp_path, fresh_database_url())
