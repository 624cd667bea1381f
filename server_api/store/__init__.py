"""open_store(uri): the one way to get a VaultStore.

A folder path or ``sqlite:///…/vault.db`` opens a local vault (created on first use);
``http(s)://host:port`` opens a shared server with an API token, through its kept copy on this
machine (store/cached: answers from the copy while the server is away, queues uploads).
"""

from __future__ import annotations

import os
from pathlib import Path

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore


def open_store(uri: str | os.PathLike[str], *, token: str | None = None) -> VaultStore:
    text = os.fspath(uri).strip()
    if not text:
        raise VaultError("invalid_argument", "no vault given: pass a folder path or an http(s) URL")
    if text.startswith(("http://", "https://")):
        from server_api.store.cached import open_cached

        return open_cached(text, token)
    if text.startswith("sqlite:///"):
        folder = Path(text[len("sqlite:///") :]).parent
    elif "://" in text:
        raise VaultError("invalid_argument", f"unsupported vault address {text!r}")
    else:
        folder = Path(text).expanduser()
    from server_api.store.sql.store import SqlVaultStore

    return SqlVaultStore.open_local(folder)
