"""Who may see a collection (grants), what happened in it (events), and storage per collection."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from server_api.http.deps import Caller
from server_api.http.respond import documented, done, items, one, page
from server_api.http.schemas import CollectionId, GrantBody, Items, Username
from server_api.store.entities import AuditEvent, Grant, StorageUsage
from server_api.store.retention_api import MAX_KEEP_LAST

router = APIRouter(prefix="/api/v1", tags=["sharing"])


@router.get("/collections/{collection_id}/grants", responses=documented(Items[Grant]))
def list_grants(collection_id: CollectionId, store: Caller) -> JSONResponse:
    """The owner first, then everyone granted."""
    return items(store.list_grants(collection_id))


@router.put("/collections/{collection_id}/grants/{username}", responses=documented(Grant))
def set_grant(
    collection_id: CollectionId, username: Username, body: GrantBody, store: Caller
) -> JSONResponse:
    return one(store.set_grant(collection_id, username, body.level))


@router.delete("/collections/{collection_id}/grants/{username}", status_code=204)
def revoke_grant(collection_id: CollectionId, username: Username, store: Caller) -> Response:
    store.revoke_grant(collection_id, username)
    return done()


@router.get("/collections/{collection_id}/events", responses=documented(Items[AuditEvent]))
def list_events(
    collection_id: CollectionId,
    store: Caller,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> JSONResponse:
    """The collection's activity, newest first."""
    return page(store.list_events(collection_id, limit=limit, cursor=cursor))


@router.get("/storage", responses=documented(Items[StorageUsage]))
def storage_usage(store: Caller, keep_last: Annotated[int | None, Query(ge=1, le=MAX_KEEP_LAST)] = None
                  ) -> JSONResponse:
    """Bytes per collection (server admins): stored, only its own, its retention policy and what that
    policy (or ``keep_last`` for every collection) would move to the version trash and free."""
    return items(store.storage_usage(keep_last))
