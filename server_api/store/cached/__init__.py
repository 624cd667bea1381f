"""The cached face of a server: a RestVaultStore wrapped with a persistent local copy (cache_db.py),
answers from that copy while the server is away (store.py) and a durable offline queue (outbox.py)."""

from __future__ import annotations

from server_api.core.settings import Settings
from server_api.store.cached.cache_db import CacheDb, cache_key
from server_api.store.cached.store import CachedRemoteStore


def cached_store(store: object) -> CachedRemoteStore | None:
    """``store`` when it is a server's cached face (it has a kept copy and an offline queue), else None."""
    return store if isinstance(store, CachedRemoteStore) else None


def open_cached(url: str, token: str | None, config: Settings | None = None) -> CachedRemoteStore:
    """The server at ``url`` as ``token``'s user, with that user's kept copy of it on this machine."""
    from server_api.core.appdirs import cache_dir
    from server_api.store.rest.client import RestVaultStore

    remote = RestVaultStore(url, token=token)
    return CachedRemoteStore(remote, CacheDb(cache_dir(config) / "servers" / cache_key(remote.uri, token)))


__all__ = ["CacheDb", "CachedRemoteStore", "cached_store", "open_cached"]
