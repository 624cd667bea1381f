"""Retention (store/retention_api.py): a collection's keep-last policy, its preview, the version trash."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from server_api.http.deps import Caller
from server_api.http.respond import documented, items, one
from server_api.http.schemas import CollectionId, Items, Purged, Strict, VersionId
from server_api.store.entities import Version
from server_api.store.retention_api import MAX_KEEP_LAST, RetentionPolicy, RetentionReport, TrashedVersion

router = APIRouter(prefix="/api/v1", tags=["retention"])
KeepLast = Annotated[int | None, Query(ge=1, le=MAX_KEEP_LAST, description="versions kept per texture")]


class RetentionBody(Strict):
    keep_last: int | None = Field(ge=1, le=MAX_KEEP_LAST,
                                  description="versions kept per texture; null keeps every version")


@router.get("/collections/{collection_id}/retention", responses=documented(RetentionPolicy))
def get_retention(collection_id: CollectionId, store: Caller) -> JSONResponse:
    """The collection's policy (read level); keep_last null keeps every version."""
    return one(store.retention(collection_id))


@router.put("/collections/{collection_id}/retention", responses=documented(RetentionReport))
def set_retention(collection_id: CollectionId, body: RetentionBody, store: Caller) -> JSONResponse:
    """Set the policy and apply it at once (admin level): what it moved to the version trash."""
    return one(store.set_retention(collection_id, body.keep_last))


@router.get("/collections/{collection_id}/retention/preview", responses=documented(RetentionReport))
def retention_preview(collection_id: CollectionId, store: Caller, keep_last: KeepLast = None) -> JSONResponse:
    """What keep_last would move to the version trash and free; changes nothing (read level)."""
    return one(store.retention_preview(collection_id, keep_last))


@router.get("/collections/{collection_id}/version-trash", responses=documented(Items[TrashedVersion]))
def list_version_trash(collection_id: CollectionId, store: Caller,
                       limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> JSONResponse:
    """Versions in the version trash, most recently trashed first (read level)."""
    return items(store.list_version_trash(collection_id, limit=limit))


@router.delete("/collections/{collection_id}/version-trash", responses=documented(Purged))
def empty_version_trash(collection_id: CollectionId, store: Caller) -> JSONResponse:
    """Delete the trashed versions for good (write level); gc then reclaims bytes nothing names."""
    return one({"purged": store.empty_version_trash(collection_id)})


@router.post("/versions/{version_id}/restore", responses=documented(Version))
def restore_version(version_id: VersionId, store: Caller) -> JSONResponse:
    """Back from the version trash, visible but not current (write level)."""
    return one(store.restore_version(version_id))
