"""The server process: settings -> the SQL face's root store -> the FastAPI app.

The one module that joins the HTTP layer to a store face (http/ itself knows only the ServerStore
interface); the import-linter layers contract places it above both.

    uvicorn --factory server_api.serving:app_from_env     (what `vault-server serve` runs)
"""

from __future__ import annotations

from fastapi import FastAPI

from server_api.core.settings import Settings, settings
from server_api.http.app import create_app
from server_api.store.sql.opening import open_server_store


def app_from_settings(config: Settings) -> FastAPI:
    return create_app(open_server_store(config), config)


def app_from_env() -> FastAPI:
    """For uvicorn's --factory: VAULT_DATA_DIR names the data folder (see the README's settings)."""
    return app_from_settings(settings())
