"""The FastAPI application: ``create_app(store, settings)``, typed against the ServerStore interface only.

Opening a store face for it is ``server_api/serving.py``'s job (the uvicorn factory), never http's.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from server_api.core.settings import Settings, settings
from server_api.http import deps
from server_api.http.errors import install_error_handlers
from server_api.http.feed_watch import FeedWatch
from server_api.http.guards import install_guards
from server_api.http.routes import (
    auth,
    collections,
    imports,
    materials,
    review,
    sharing,
    tags,
    textures,
    trash,
    users,
    versions,
)
from server_api.http.routes.changes import router as changes_router
from server_api.http.routes.qa import router as qa_router
from server_api.http.routes.retention import router as retention_router
from server_api.http.routes.similar import router as similar_router
from server_api.http.routes.webhooks import router as webhooks_router
from server_api.http.schemas import ERROR_RESPONSES
from server_api.store.server import ServerStore


def create_app(store: ServerStore, config: Settings | None = None) -> FastAPI:
    """An app serving ``store`` (a root store: no actor; each request acts as its token's user).
    ``config``: the process's settings unless given."""
    config = config or settings()
    app = FastAPI(
        title="Texture Vault", version="1",
        description="Collections of textures with version history, shared with read/write/admin levels.",
        responses=ERROR_RESPONSES,
    )
    app.state.store = store
    app.state.settings = deps.Settings(max_upload_bytes=config.max_upload_bytes, tmp_dir=store.upload_dir)
    install_error_handlers(app)
    install_guards(app, config)
    # One per process, shared by its streams; it asks whichever store the app serves at the moment.
    app.state.feed_watch = FeedWatch(lambda: app.state.store.latest_cursor(), config.changes_poll_s)
    app.state.changes_heartbeat_s = config.changes_heartbeat_s
    app.include_router(changes_router)
    app.include_router(webhooks_router)
    for module in (auth, users, collections, imports, textures, trash, versions, sharing, materials, tags,
                   review):
        app.include_router(module.router)
    app.include_router(materials.collection_router)
    app.include_router(similar_router)
    app.include_router(qa_router)
    app.include_router(retention_router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> JSONResponse:
        """200 while the database answers."""
        store.ping()
        return JSONResponse({"status": "ok"})

    return app
