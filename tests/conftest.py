"""Shared fixtures. Qt runs offscreen; every test gets its own data, config and cache dirs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from server_api.core.settings import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VAULT_PASSWORD_HASH", "cheap")  # argon2id, smallest parameters (speed only)
sys.path.insert(0, str(Path(__file__).parent))  # so tests can `import corpus`


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Never touch the developer's real vault or settings."""
    base = tmp_path_factory.mktemp("appdirs")
    for name in ("DATA", "CONFIG", "CACHE"):
        path = base / name.lower()
        path.mkdir()
        monkeypatch.setenv(f"TEXTURE_VAULT_{name}_DIR", str(path))
    monkeypatch.delenv("VAULT", raising=False)
    settings.cache_clear()  # the process's settings are read again from this test's environment
    yield
    settings.cache_clear()


@pytest.fixture
def local_store(tmp_path):
    """A fresh local vault (SqlVaultStore) in a temp folder."""
    from server_api.store.sql.store import SqlVaultStore

    store = SqlVaultStore.open_local(tmp_path / "vault")
    yield store
    store.close()
