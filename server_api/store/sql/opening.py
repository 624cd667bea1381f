"""Opening a server's root store from the settings: the one recipe `vault-server` and the app share."""

from __future__ import annotations

from pathlib import Path

from server_api.content.opening import open_content_store
from server_api.core.errors import VaultError
from server_api.core.settings import Settings
from server_api.store.sql.engine import sqlite_url
from server_api.store.sql.store import DB_FILE, SqlVaultStore


def database_url_for(config: Settings, data_dir: Path) -> str:
    """VAULT_DATABASE_URL when set (PostgreSQL), else a SQLite file in the data folder."""
    return config.database_url or sqlite_url(Path(data_dir) / DB_FILE)


def open_server_store(config: Settings, data_dir: Path | None = None) -> SqlVaultStore:
    """The root store for a server: the database (migrated to head) and the content store
    (VAULT_CONTENT_URL, else blobs in the data folder: ``data_dir``, else VAULT_DATA_DIR)."""
    folder = data_dir or config.server_data_dir
    if folder is None:
        raise VaultError("invalid_argument", "set VAULT_DATA_DIR to the server's data folder")
    folder = Path(folder).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    content = open_content_store(config.content_url, folder, config)
    return SqlVaultStore.open_server(database_url_for(config, folder), folder,
                                     max_upload_bytes=config.max_upload_bytes, content=content)
