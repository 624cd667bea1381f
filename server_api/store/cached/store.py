"""CachedRemoteStore: a server's VaultStore that keeps what it read, and answers from it offline.

Reads go to the server while it answers and their answers are kept (cache_db.py); when it does not,
the same reads answer from the kept copy (``offline`` is then True and ``cached_at`` says when the
copy was last refreshed). Thumbnails and files are immutable per version, so a kept one is never
fetched again, online or not. Writes go straight through; the few that can wait (uploads, new
versions, tags) are queued durably while offline (outbox.py) and ``sync()`` replays them.

Being offline is noticed by any read that finds the server unreachable, or by ``ping()``; from then
on reads answer from the copy at once (no 3 s of connection retries per click) until ``ping()``
finds the server again. The first read of a new store asks ``ping()`` (one quick try) first.
"""

from __future__ import annotations

import functools
import os
import typing
import uuid
from collections.abc import Callable
from typing import Any, BinaryIO

from server_api.content.ranges import open_file_range, resolve_range
from server_api.content.source import Source
from server_api.core.errors import VaultError
from server_api.store import codec
from server_api.store.base import VaultStore
from server_api.store.cached import offline_query
from server_api.store.cached.cache_db import CacheDb
from server_api.store.cached.outbox import Outbox, Pending, encode_args
from server_api.store.cached.upkeep import CopyUpkeep
from server_api.store.entities import (
    Collection,
    ImportResult,
    Page,
    Texture,
    TextureQuery,
    User,
    Version,
)
from server_api.store.tag_api import Found

# reads whose answers are kept as they are, by call (name + arguments)
KEPT_ANSWERS = ("list_trash", "list_grants", "list_events", "storage_usage", "retention", "list_tags",
                "texture_tags",
                "material_tags", "list_smart_collections", "list_materials", "get_material",
                "list_material_versions",
                # review (issue 16): a version's comments and status, the last notifications seen
                "list_comments", "texture_comments", "review_state", "review_required", "notifications")


class CachedRemoteStore(CopyUpkeep, VaultStore):
    kind = "remote"

    def __init__(self, remote: VaultStore, cache: CacheDb):
        self.remote = remote
        self.cache = cache
        self.outbox = Outbox(cache)
        self.uri = remote.uri
        self._online: bool | None = None  # None: not asked yet
        self._outage: VaultError | None = None  # the last "unreachable" answer: its words name the cause

    # ---- online or not ----------------------------------------------------------------------
    @property
    def offline(self) -> bool:
        return self._online is False

    @property
    def cached_at(self) -> float | None:
        """When the kept copy last heard from the server (epoch seconds), None if never."""
        return self.cache.fresh_at()

    def ping(self) -> None:
        try:
            self.remote.ping()
        except VaultError as exc:
            if exc.code == "unavailable":
                self._online, self._outage = False, exc
            raise
        self._online = True

    def _is_online(self) -> bool:
        if self._online is None:
            try:
                self.ping()
            except VaultError:
                pass
        return bool(self._online)

    def _read(self, fetch: Callable[[], Any], keep: Callable[[Any], None] | None,
              from_copy: Callable[[], Any], what: str) -> Any:
        """The server's answer (kept) while it answers; the kept copy's otherwise."""
        if self._is_online():
            try:
                value = fetch()
            except VaultError as exc:
                if exc.code != "unavailable":
                    raise
                self._online, self._outage = False, exc
            else:
                if keep is not None:
                    keep(value)
                self.cache.mark_fresh()
                return value
        value = from_copy()
        if value is None:  # why the server is away ("server … unreachable: refused"), then what is missing
            why = self._outage.message if self._outage is not None else f"offline: {self.uri}"
            raise VaultError("unavailable", f"{why} ({what} was not kept for offline use)")
        return value

    def _kept(self, name: str, *args, **kwargs) -> Any:
        key = f"{name}:{codec.encode(list(args))}:{sorted(codec.encode(kwargs).items())}"
        hint = _return_type(name)
        return self._read(lambda: getattr(self.remote, name)(*args, **kwargs),
                          lambda value: self.cache.put_answer(key, value),
                          lambda: _revive(hint, self.cache.answer(key)), f"the answer to {name}")

    # ---- reads kept in their own tables -----------------------------------------------------
    def current_user(self) -> User:
        return self._kept("current_user")

    def list_collections(self) -> list[Collection]:
        return self._read(self.remote.list_collections, self.cache.put_collections,
                          lambda: self.cache.collections() or None, "the list of collections")

    def get_collection(self, collection_id: int) -> Collection:
        return self._read(lambda: self.remote.get_collection(collection_id), self.cache.put_collection,
                          lambda: self.cache.collection(collection_id), f"collection {collection_id}")

    def list_textures(self, collection_id: int, query: TextureQuery = TextureQuery(), *,
                      limit: int = 200, cursor: str | None = None) -> Page[Texture]:
        if offline_query.is_offline_cursor(cursor):  # paging on through a listing the copy began
            return self._copy_page(collection_id, query, limit, cursor)
        return self._read(lambda: self.remote.list_textures(collection_id, query, limit=limit, cursor=cursor),
                          lambda page: self.cache.put_textures(page.items),
                          lambda: None if cursor else self._copy_page(collection_id, query, limit, None),
                          "the rest of this listing")

    def _copy_page(self, collection_id: int, query: TextureQuery, limit: int,
                   cursor: str | None) -> Page[Texture]:
        if self.cache.collection(collection_id) is None:
            return None  # type: ignore[return-value]  # never seen: "not kept"
        if not query.text.strip() and query.sort == "name" and not query.descending:
            return self._first_by_name(collection_id, limit, cursor)
        return offline_query.page_of(self.cache.all_textures(collection_id), query, limit, cursor)

    def _first_by_name(self, collection_id: int, limit: int, cursor: str | None) -> Page[Texture]:
        """The plain listing straight off the copy's index (the first screen after a restart)."""
        after = offline_query.decode_cursor(cursor).get("after")
        items = self.cache.first_textures(collection_id, tuple(after) if after else None, limit + 1)
        if len(items) <= limit:
            return Page(tuple(items))
        last = items[limit - 1]
        next_cursor = offline_query.encode_cursor({"after": [last.name.lower(), last.id]})
        return Page(tuple(items[:limit]), next_cursor)

    def count_textures(self, collection_id: int, query: TextureQuery = TextureQuery()) -> int:
        return self._read(lambda: self.remote.count_textures(collection_id, query), None,
                          lambda: offline_query.count_of(self.cache.all_textures(collection_id), query)
                          if self.cache.collection(collection_id) else None, f"collection {collection_id}")

    def get_texture(self, texture_id: int) -> Texture:
        return self._read(lambda: self.remote.get_texture(texture_id), lambda t: self.cache.put_textures([t]),
                          lambda: self.cache.texture(texture_id), f"texture {texture_id}")

    def find_texture(self, collection_id: int, *, original_path: str | None = None,
                     sha256: str | None = None) -> Texture | None:
        def from_copy():
            for t in self.cache.all_textures(collection_id):
                if (original_path and t.original_path == original_path) or (
                        sha256 and t.current.sha256 == sha256):
                    return [t]
            return [None]

        found = self._read(lambda: [self.remote.find_texture(collection_id, original_path=original_path,
                                                             sha256=sha256)], None, from_copy, "the lookup")
        return found[0]

    def list_versions(self, texture_id: int) -> list[Version]:
        def from_copy() -> list[Version] | None:
            whole = self.cache.timeline(texture_id)
            if whole is not None:
                return whole
            kept = self.cache.texture(texture_id)  # a timeline never opened: its current version at least
            return [kept.current] if kept is not None else None

        return self._read(lambda: self.remote.list_versions(texture_id),
                          lambda vs: self.cache.put_timeline(texture_id, vs), from_copy,
                          f"the timeline of texture {texture_id}")

    def version_thumbnail(self, version_id: int, side: int = 256) -> bytes:
        sha = self.cache.version_sha(version_id)
        kept = self.cache.thumb_path(sha, side) if sha else None
        if kept is not None and kept.is_file():
            return kept.read_bytes()  # a version's bytes never change: neither does its thumbnail

        def keep(data: bytes) -> None:
            if kept is not None:
                self.cache.keep_bytes(kept, data)

        return self._read(lambda: self.remote.version_thumbnail(version_id, side), keep, lambda: None,
                          f"the thumbnail of version {version_id}")

    def open_version(self, version_id: int, *, start: int = 0, length: int | None = None) -> BinaryIO:
        sha = self.cache.version_sha(version_id)
        path = self.cache.file_path(sha) if sha else None
        if path is not None and path.is_file():
            if start == 0 and length is None:
                return open(path, "rb")
            offset, count = resolve_range(start, length, path.stat().st_size, f"version {version_id}")
            return open_file_range(path, offset, count)
        return self._read(lambda: self.remote.open_version(version_id, start=start, length=length), None,
                          lambda: None,
                          f"the file of version {version_id} (use Keep offline)")

    def search_textures(self, query: TextureQuery = TextureQuery(), *, limit: int = 200,
                        cursor: str | None = None) -> Page[Found]:
        def from_copy() -> Page[Found]:
            names = {c.id: c.name for c in self.cache.collections()}
            page = offline_query.page_of(self.cache.all_textures(), query, limit, cursor)
            return Page(tuple(Found(t, names.get(t.collection_id, "")) for t in page.items), page.next)

        if offline_query.is_offline_cursor(cursor):
            return from_copy()
        return self._read(lambda: self.remote.search_textures(query, limit=limit, cursor=cursor),
                          lambda page: self.cache.put_textures(f.texture for f in page.items),
                          from_copy, "the search")

    # ---- writes that may wait ---------------------------------------------------------------
    def import_source(self, collection_id: int, source: Source, *, original_path: str, sha256: str,
                      name: str | None = None, progress=None, upload_key: str | None = None,
                      defer_material_version: bool = False) -> ImportResult:
        if self._is_online():
            try:
                return self.remote.import_source(collection_id, source, original_path=original_path,
                                                 sha256=sha256, name=name, progress=progress,
                                                 upload_key=upload_key,
                                                 defer_material_version=defer_material_version)
            except VaultError as exc:
                if exc.code != "unavailable" or "unreachable" not in exc.message:
                    raise
                self._online = False
        entry = self.outbox.add("import_source", encode_args(collection_id=collection_id,
                                original_path=original_path, sha256=sha256, name=name), source, upload_key)
        return ImportResult(path=original_path, status="queued",
                            note=f"offline: queued as #{entry.seq}, uploads when {self.uri} answers")

    def import_many(self, collection_id: int, items: list) -> list[ImportResult]:
        """The server's one-request batch while it answers; offline each file is queued."""
        if self._is_online():
            try:
                return self.remote.import_many(collection_id, items)
            except VaultError as exc:
                if exc.code != "unavailable" or "unreachable" not in exc.message:
                    raise
                self._online = False
        return [self.import_source(collection_id, item.stream(), original_path=item.original_path,
                                   sha256=item.sha256, name=item.name, upload_key=item.upload_key)
                for item in items]

    def add_texture(self, collection_id: int, source: Source, *, original_path: str, name: str | None = None,
                    note: str = "", progress=None, upload_key: str | None = None) -> Texture:
        return self._write_or_queue(
            "add_texture", lambda: self.remote.add_texture(collection_id, source, original_path=original_path,
                                                           name=name, note=note, progress=progress,
                                                           upload_key=upload_key),
            encode_args(collection_id=collection_id, original_path=original_path, name=name, note=note),
            source, upload_key)

    def add_version(self, texture_id: int, source: Source, *, note: str = "", make_current: bool = True,
                    progress=None, upload_key: str | None = None) -> Version:
        path_given = isinstance(source, str | os.PathLike)
        file_name = os.path.basename(os.fspath(source)) if path_given else "a stream"
        return self._write_or_queue(
            "add_version", lambda: self.remote.add_version(texture_id, source, note=note,
                                                           make_current=make_current, progress=progress,
                                                           upload_key=upload_key),
            encode_args(texture_id=texture_id, note=note, make_current=make_current, file_name=file_name),
            source, upload_key)

    def tag_textures(self, texture_ids, *, add=(), remove=()) -> None:
        return self._write_or_queue(
            "tag_textures", lambda: self.remote.tag_textures(texture_ids, add=add, remove=remove),
            encode_args(texture_ids=list(texture_ids), add=list(add), remove=list(remove)), None, None)

    def add_comment(self, version_id: int, text: str, region=None, key: str | None = None):
        # One key from the first send on: when its answer is lost, the queued replay sends the same
        # key and the server answers the comment that landed instead of posting a second.
        key = f"comment-{uuid.uuid4().hex}" if key is None else key
        return self._write_or_queue(
            "add_comment", lambda: self.remote.add_comment(version_id, text, region, key=key),
            encode_args(version_id=version_id, text=text, region=region), None, key)

    def _write_or_queue(self, kind: str, send: Callable[[], Any], args: dict, source: Source | None,
                        upload_key: str | None) -> Any:
        if self._is_online():
            try:
                return send()
            except VaultError as exc:
                if exc.code != "unavailable" or "unreachable" not in exc.message:
                    raise
                self._online = False
        entry = self.outbox.add(kind, args, source, upload_key)
        raise VaultError("unavailable", f"offline: {entry.what} is queued as #{entry.seq} and is sent "
                                        f"when {self.uri} answers again")

    def pending(self) -> list[Pending]:
        return self.outbox.entries(only_pending=True)

    def sync(self) -> list[Pending]:
        """Replay the offline queue in order (when the server answers); the entries it finished."""
        self.ping()
        return self.outbox.replay(self.remote)

    # ---- the rest goes straight to the server -----------------------------------------------
    def __getattr__(self, name: str) -> Any:  # the face's own extras (logout, the change feed ...)
        if name.startswith("_") or name in ("remote", "cache", "outbox"):
            raise AttributeError(name)
        return getattr(self.remote, name)

    def close(self) -> None:
        self.remote.close()
        self.cache.close()

    def __repr__(self) -> str:
        return f"CachedRemoteStore({self.uri!r})"


def _through(name: str) -> Callable:
    def call(self, *args, **kwargs):
        return getattr(self.remote, name)(*args, **kwargs)

    call.__name__ = name
    return call


def _kept_read(name: str) -> Callable:
    def call(self, *args, **kwargs):
        return self._kept(name, *args, **kwargs)

    call.__name__ = name
    return call


for _name in sorted(VaultStore.__abstractmethods__):
    if _name in KEPT_ANSWERS:
        setattr(CachedRemoteStore, _name, _kept_read(_name))
    elif _name not in CachedRemoteStore.__dict__:
        setattr(CachedRemoteStore, _name, _through(_name))
CachedRemoteStore.__abstractmethods__ = frozenset()


@functools.cache
def _return_type(name: str) -> Any:
    return typing.get_type_hints(getattr(VaultStore, name))["return"]


def _revive(tp: Any, data: Any) -> Any:
    """A kept answer back into what the call returns (None when nothing was kept)."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [codec.decode(item, d) for d in data]
    if origin is Page:
        (item,) = typing.get_args(tp)
        return codec.decode_page(item, data)
    return codec.decode(tp, data)

