"""The "rest-sqlite", "rest-postgres" and "rest-postgres-s3" faces: RestVaultStore → a real uvicorn on
127.0.0.1 → SqlVaultStore on SQLite or on a throwaway PostgreSQL database (the last one keeping its
bytes and thumbnails in a real SeaweedFS over S3, tests/seaweedfs.py). Every account signs in for real.

One uvicorn per face serves the whole session; each test gets a fresh data folder and database
behind it (LiveServer.use_data), because stopping uvicorn costs ~0.2 s and the suite has hundreds."""

from __future__ import annotations

import atexit
from pathlib import Path

from live_server import PASSWORD, LiveServer

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore

_servers: dict[str, LiveServer] = {}


class RestFace:
    def __init__(self, name: str, tmp_path: Path, database_url: str | None = None,
                 content: dict | None = None):
        self.name = name
        server = _server_for(name, tmp_path)
        server.overrides.update(content or {})  # the settings use_data opens the next store with
        self.server = server.use_data(tmp_path / "server", database_url)
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

    @property
    def engine(self):
        return self.server.root.engine

    def close(self) -> None:
        for store in self._stores.values():
            store.close()


def _server_for(name: str, tmp_path: Path) -> LiveServer:
    if name not in _servers:
        _servers[name] = LiveServer(tmp_path / "first").start()
        atexit.register(_servers[name].stop)
    return _servers[name]


def make_sqlite_face(tmp_path: Path) -> RestFace:
    return RestFace("rest-sqlite", tmp_path)


def make_postgres_face(tmp_path: Path) -> RestFace:
    from postgres import fresh_database_url

    return RestFace("rest-postgres", tmp_path, fresh_database_url(migrated=True))


def make_postgres_s3_face(tmp_path: Path) -> RestFace:
    from postgres import fresh_database_url
    from seaweedfs import TEST_CREDENTIALS, fresh_content_url

    content = {"content_url": fresh_content_url(),
               "aws_access_key_id": TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
               "aws_secret_access_key": TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]}
    face = RestFace("rest-postgres-s3", tmp_path, fresh_database_url(migrated=True), content)
    assert face.server.root.content.url == content["content_url"]  # the bytes really go to S3
    return face
