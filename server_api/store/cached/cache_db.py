"""The local copy of one server as one signed-in user saw it: a SQLite file plus files by sha256.

Layout under the user cache folder: ``servers/<key>/cache.db`` (listings, versions, other answers,
the offline queue), ``thumbs/<sha256>-<side>`` and ``files/<sha256>`` (bytes kept offline),
``outbox/`` (files queued while offline). ``key`` comes from the server URL and the token, so two
accounts on one machine never see each other's copy. Entities are kept as the codec's JSON (the
same shape the server sends), with the few columns an index or a sort needs beside it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from server_api.content.durable import atomic_writer
from server_api.store import codec
from server_api.store.entities import Collection, Texture, Version

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS collections (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS textures (
    id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, name_key TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS textures_by_name ON textures (collection_id, name_key, id);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY, texture_id INTEGER NOT NULL, sha256 TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS versions_by_texture ON versions (texture_id);
CREATE TABLE IF NOT EXISTS timelines (texture_id INTEGER PRIMARY KEY);  -- every version is here
CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, args TEXT NOT NULL,
    file TEXT, upload_key TEXT NOT NULL, queued_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', outcome TEXT);
"""


def cache_key(url: str, token: str | None) -> str:
    return hashlib.sha256(f"{url.rstrip('/')}\n{token or ''}".encode()).hexdigest()[:20]


class CacheDb:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        for sub in ("thumbs", "files", "outbox"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._closed = False
        self._db = sqlite3.connect(self.folder / "cache.db", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        """Safe to call twice. A job still running on the closed copy (the window switched store
        meanwhile) keeps nothing and finds nothing kept, instead of failing."""
        with self._lock:
            self._closed = True
            self._db.close()

    def run(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            if self._closed:
                return []
            return self._db.execute(sql, tuple(args)).fetchall()

    def run_many(self, statements: Iterable[tuple[str, tuple]]) -> None:
        """Several statements in one transaction: all of them or none."""
        with self._lock:
            if self._closed:
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    self._db.execute(sql, args)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # ---- when the copy was last refreshed from the server -------------------------------------
    def mark_fresh(self) -> None:
        self.set_meta("fresh_at", str(time.time()))

    def fresh_at(self) -> float | None:
        value = self.meta("fresh_at")
        return float(value) if value else None

    def meta(self, key: str) -> str | None:
        rows = self.run("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.run("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # ---- collections --------------------------------------------------------------------------
    def put_collections(self, items: list[Collection]) -> None:
        """The whole list the server gave: collections no longer there leave the copy."""
        self.run_many([("DELETE FROM collections", ()),
                       *[("INSERT INTO collections (id, body) VALUES (?, ?)", (c.id, _dump(c)))
                         for c in items]])

    def put_collection(self, item: Collection) -> None:
        self.run("INSERT OR REPLACE INTO collections (id, body) VALUES (?, ?)", (item.id, _dump(item)))

    def collections(self) -> list[Collection]:
        rows = self.run("SELECT body FROM collections ORDER BY id")
        return [codec.decode(Collection, json.loads(body)) for (body,) in rows]

    def collection(self, collection_id: int) -> Collection | None:
        rows = self.run("SELECT body FROM collections WHERE id = ?", (collection_id,))
        return codec.decode(Collection, json.loads(rows[0][0])) if rows else None

    # ---- textures -----------------------------------------------------------------------------
    def put_textures(self, items: Iterable[Texture]) -> None:
        statements = []
        for t in items:
            statements.append(("INSERT OR REPLACE INTO textures (id, collection_id, name_key, body) "
                               "VALUES (?, ?, ?, ?)", (t.id, t.collection_id, t.name.lower(), _dump(t))))
            # a current version the kept timeline lacks: that timeline is no longer whole
            statements.append(("DELETE FROM timelines WHERE texture_id = ? AND NOT EXISTS "
                               "(SELECT 1 FROM versions WHERE id = ?)", (t.id, t.current.id)))
            statements.append(_version_row(t.current))
        if statements:
            self.run_many(statements)

    def replace_collection_textures(self, collection_id: int, items: list[Texture]) -> None:
        """A full listing of the collection: textures gone from the server leave the copy too."""
        keep = {t.id for t in items}
        gone = [i for (i,) in self.run("SELECT id FROM textures WHERE collection_id = ?", (collection_id,))
                if i not in keep]
        self.run_many([("DELETE FROM textures WHERE id = ?", (i,)) for i in gone])
        self.put_textures(items)
        self.set_meta(f"listed:{collection_id}", str(time.time()))

    def forget_texture(self, texture_id: int) -> None:
        self.run_many([("DELETE FROM textures WHERE id = ?", (texture_id,)),
                       ("DELETE FROM timelines WHERE texture_id = ?", (texture_id,))])

    def forget_timeline(self, texture_id: int) -> None:
        """The texture changed: its kept timeline is fetched again before it is shown offline."""
        self.run("DELETE FROM timelines WHERE texture_id = ?", (texture_id,))

    def texture(self, texture_id: int) -> Texture | None:
        rows = self.run("SELECT body FROM textures WHERE id = ?", (texture_id,))
        return codec.decode(Texture, json.loads(rows[0][0])) if rows else None

    def first_textures(self, collection_id: int, after: tuple[str, int] | None, limit: int) -> list[Texture]:
        """By name, keyset from ``after`` (name_key, id): the unfiltered page, straight off the index."""
        key, last = after or ("", -1)
        rows = self.run("SELECT body FROM textures WHERE collection_id = ? AND (name_key, id) > (?, ?) "
                        "ORDER BY name_key, id LIMIT ?", (collection_id, key, last, limit))
        return [codec.decode(Texture, json.loads(body)) for (body,) in rows]

    def all_textures(self, collection_id: int | None = None) -> list[Texture]:
        sql, args = "SELECT body FROM textures", ()
        if collection_id is not None:
            sql, args = sql + " WHERE collection_id = ?", (collection_id,)
        return [codec.decode(Texture, json.loads(body)) for (body,) in self.run(sql, args)]

    # ---- versions -----------------------------------------------------------------------------
    def put_timeline(self, texture_id: int, versions: list[Version]) -> None:
        self.run_many([("DELETE FROM versions WHERE texture_id = ?", (texture_id,)),
                       *[_version_row(v) for v in versions],
                       ("INSERT OR REPLACE INTO timelines (texture_id) VALUES (?)", (texture_id,))])

    def timeline(self, texture_id: int) -> list[Version] | None:
        """Every version, newest first; None when the whole timeline was never fetched."""
        if not self.run("SELECT 1 FROM timelines WHERE texture_id = ?", (texture_id,)):
            return None
        rows = self.run("SELECT body FROM versions WHERE texture_id = ? ORDER BY id DESC", (texture_id,))
        return [codec.decode(Version, json.loads(body)) for (body,) in rows]

    def version_sha(self, version_id: int) -> str | None:
        rows = self.run("SELECT sha256 FROM versions WHERE id = ?", (version_id,))
        return rows[0][0] if rows else None

    # ---- other answers (tags, materials, grants ...), by call ---------------------------------
    def put_answer(self, key: str, value: Any) -> None:
        body = json.dumps(codec.encode(value))
        self.run("INSERT OR REPLACE INTO answers (key, body) VALUES (?, ?)", (key, body))

    def answer(self, key: str) -> Any | None:
        rows = self.run("SELECT body FROM answers WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    # ---- bytes by sha256 ----------------------------------------------------------------------
    def thumb_path(self, sha256: str, side: int) -> Path:
        return self.folder / "thumbs" / f"{sha256}-{side}"

    def file_path(self, sha256: str) -> Path:
        return self.folder / "files" / sha256

    def keep_bytes(self, path: Path, data: bytes) -> None:
        with atomic_writer(path, durable=False) as out:  # a cache: it can always be fetched again
            out.write(data)


def _dump(entity: Any) -> str:
    return json.dumps(codec.encode(entity))


def _version_row(v: Version) -> tuple[str, tuple]:
    return ("INSERT OR REPLACE INTO versions (id, texture_id, sha256, body) VALUES (?, ?, ?, ?)",
            (v.id, v.texture_id, v.sha256, _dump(v)))
