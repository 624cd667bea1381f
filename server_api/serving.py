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
from server_api.workflows.webhook_delivery import WebhookWorker


def app_from_settings(config: Settings) -> FastAPI:
    store = open_server_store(config)
    app = create_app(store, config)
    if config.webhook_delivery:  # every instance may deliver: they share the queue by leases
        app.state.webhook_worker = WebhookWorker.from_settings(store, config).start()
    return app


def app_from_env() -> FastAPI:
    """For uvicorn's --factory: VAULT_DATA_DIR names the data folder (see the README's settings)."""
    return app_from_settings(settings())
