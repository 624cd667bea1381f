"""The "rest-cached" face: what the app and the CLI really use for a server URL (open_store) -
CachedRemoteStore (store/cached: reads kept in a copy on this machine, writes straight through) over
RestVaultStore over a real uvicorn on SQLite. Online, every answer must be the server's own."""

from __future__ import annotations

from pathlib import Path

from rest_face import RestFace

from server_api.store.cached import CacheDb, CachedRemoteStore


class CachedFace(RestFace):
    def __init__(self, tmp_path: Path):
        super().__init__("rest-sqlite", tmp_path)  # the same uvicorn as rest-sqlite, a fresh vault
        self.name = "rest-cached"
        self._copies = tmp_path / "client-copies"
        self.admin = self._stores["admin"] = self._cached(self.admin, "admin")

    def user(self, username: str, admin: bool = False):
        if username not in self._stores:
            self._stores[username] = self._cached(super().user(username, admin), username)
        return self._stores[username]

    def _cached(self, remote, username: str) -> CachedRemoteStore:
        return CachedRemoteStore(remote, CacheDb(self._copies / username))


def make_face(tmp_path: Path) -> CachedFace:
    return CachedFace(tmp_path)
