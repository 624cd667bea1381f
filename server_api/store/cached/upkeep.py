"""Keeping a server's kept copy up to date (a part of CachedRemoteStore): whole collections listed
into it, their current bytes downloaded for use offline ("Keep offline"), and the change feed applied
to it, with the feed's cursor kept beside the copy so a restarted client catches up from there.
"""

from __future__ import annotations

from collections.abc import Callable

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.cached.cache_db import CacheDb


class CopyUpkeep:
    remote: VaultStore
    cache: CacheDb
    _is_online: Callable[[], bool]  # CachedRemoteStore's: asks ping() once, then remembers

    # ---- keeping a collection whole ---------------------------------------------------------
    def sync_collection(self, collection_id: int, page_size: int = 500) -> int:
        """List the whole collection from the server into the copy (textures gone from the server
        leave it); how many there are. Raises "unavailable" when the server is away."""
        items, cursor = [], None
        while True:
            page = self.remote.list_textures(collection_id, limit=page_size, cursor=cursor)
            items.extend(page.items)
            if page.next is None:
                break
            cursor = page.next
        self.cache.put_collection(self.remote.get_collection(collection_id))
        self.cache.replace_collection_textures(collection_id, items)
        self.cache.mark_fresh()
        return len(items)

    def keep_offline(self, collection_id: int, progress: Callable[[int, int], None] | None = None) -> int:
        """Download the current version of every texture of the collection into the copy (those
        already kept are skipped); returns the bytes fetched. ``progress(done, total)`` in bytes."""
        self.sync_collection(collection_id)
        todo = [t.current for t in self.cache.all_textures(collection_id)
                if not self.cache.file_path(t.current.sha256).is_file()]
        total, done = sum(v.byte_size for v in todo), 0
        for v in todo:
            with self.remote.open_version(v.id) as stream:
                data = stream.read()
            self.cache.keep_bytes(self.cache.file_path(v.sha256), data)
            done += len(data)
            if progress:
                progress(done, total)
        return done

    def offline_size(self, collection_id: int) -> tuple[int, int]:
        """(files, bytes) Keep offline would still fetch, from the copy's listing."""
        todo = [t.current for t in self.cache.all_textures(collection_id)
                if not self.cache.file_path(t.current.sha256).is_file()]
        return len(todo), sum(v.byte_size for v in todo)

    # ---- following the change feed ----------------------------------------------------------
    def feed_cursor(self) -> int:
        """Where the kept copy stands in the server's change feed (the newest cursor on first use)."""
        kept = self.cache.meta("feed_cursor")
        if kept is not None:
            return int(kept)
        cursor = self.remote.latest_cursor()
        self.cache.set_meta("feed_cursor", str(cursor))
        return cursor

    def stream_changes(self, since: int = 0, **kwargs):
        return self.remote.stream_changes(since, **kwargs)

    def catch_up(self) -> list:
        """Every change since the kept cursor, applied to the copy; the changes."""
        if not self._is_online():  # known to be away: fail at once, no connection retries
            raise VaultError("unavailable", f"{self.remote.uri} is unreachable")
        cursor, seen = self.feed_cursor(), []
        while True:
            page = self.remote.changes(cursor)
            seen.extend(page.items)
            cursor = page.cursor
            if not page.more:
                break
        self.apply_changes(seen, cursor)
        return seen

    def apply_changes(self, changes: list, cursor: int | None = None) -> None:
        """Bring the copy up to these changes: changed textures fetched again (their timelines
        too, when next shown), deleted ones dropped, the collections listed again (counts)."""
        for texture_id in dict.fromkeys(c.texture_id for c in changes if c.texture_id is not None):
            try:
                texture = self.remote.get_texture(texture_id)
            except VaultError as exc:
                if exc.code != "not_found":
                    raise
                texture = None
            if texture is None or texture.deleted_at is not None:
                self.cache.forget_texture(texture_id)
            else:
                self.cache.put_textures([texture])
            self.cache.forget_timeline(texture_id)
        if changes:
            self.cache.put_collections(self.remote.list_collections())
        newest = max([c.cursor for c in changes] + [cursor or 0, int(self.cache.meta("feed_cursor") or 0)])
        self.cache.set_meta("feed_cursor", str(newest))
        self.cache.mark_fresh()
