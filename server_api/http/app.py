"""The FastAPI application: ``create_app(store)`` for tests and embedding, ``app_from_env`` for serving."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from server_api.core.errors import VaultError
from server_api.http.deps import Settings
from server_api.http.errors import install_error_handlers
from server_api.http.routes import auth, collections, sharing, textures, trash, users, versions
from server_api.http.schemas import ERROR_RESPONSES

DEFAULT_MAX_UPLOAD_MB = 1024
DB_FILE = "vault.db"


def create_app(store, *, max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB << 20) -> FastAPI:
    """An app serving ``store`` (a root SqlVaultStore: no actor; each request acts as its token's user)."""
    app = FastAPI(
        title="Texture Vault", version="1",
        description="Collections of textures with version history, shared with read/write/admin levels.",
        responses=ERROR_RESPONSES,
    )
    app.state.store = store
    app.state.settings = Settings(max_upload_bytes=max_upload_bytes, tmp_dir=Path(store.data_dir) / "tmp")
    install_error_handlers(app)
    for module in (auth, users, collections, textures, trash, versions, sharing):
        app.include_router(module.router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> JSONResponse:
        """200 while the database answers."""
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    return app


def database_url_for(data_dir: Path) -> str:
    """VAULT_DATABASE_URL when set (PostgreSQL), else a SQLite file in the data folder."""
    from server_api.store.sql.engine import sqlite_url

    return os.environ.get("VAULT_DATABASE_URL") or sqlite_url(Path(data_dir) / DB_FILE)


def max_upload_bytes_from_env() -> int:
    raw = os.environ.get("VAULT_MAX_UPLOAD_MB", str(DEFAULT_MAX_UPLOAD_MB))
    try:
        megabytes = float(raw)
    except ValueError:
        raise VaultError("invalid_argument", f"VAULT_MAX_UPLOAD_MB must be a number, not {raw!r}") from None
    if megabytes <= 0:
        raise VaultError("invalid_argument", "VAULT_MAX_UPLOAD_MB must be above 0")
    return int(megabytes * (1 << 20))


def open_server_store(data_dir: Path, database_url: str | None = None, max_upload_bytes: int | None = None):
    """The root store for a server: the database (migrated to head) and the blobs in ``data_dir``."""
    from server_api.store.sql.store import SqlVaultStore

    data_dir = Path(data_dir).expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    limit = max_upload_bytes or max_upload_bytes_from_env()
    return SqlVaultStore.open_server(database_url or database_url_for(data_dir), data_dir,
                                     max_upload_bytes=limit)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory server_api.http.app:app_from_env``: VAULT_DATA_DIR names the folder."""
    data_dir = os.environ.get("VAULT_DATA_DIR")
    if not data_dir:
        raise VaultError("invalid_argument", "set VAULT_DATA_DIR to the server's data folder")
    limit = max_upload_bytes_from_env()
    return create_app(open_server_store(Path(data_dir), max_upload_bytes=limit), max_upload_bytes=limit)
