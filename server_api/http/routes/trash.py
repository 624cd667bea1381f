"""The trash: deleted textures of a collection, restoring one, emptying it for good."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from server_api.http.deps import Caller
from server_api.http.respond import documented, items, one
from server_api.http.schemas import CollectionId, Items, Purged, TextureId
from server_api.store.entities import Texture

router = APIRouter(prefix="/api/v1", tags=["trash"])


@router.get("/collections/{collection_id}/trash", responses=documented(Items[Texture]))
def list_trash(collection_id: CollectionId, store: Caller) -> JSONResponse:
    """Deleted textures, most recently deleted first; each has ``deleted_at``."""
    return items(store.list_trash(collection_id))


@router.delete("/collections/{collection_id}/trash", responses=documented(Purged))
def empty_trash(collection_id: CollectionId, store: Caller) -> JSONResponse:
    """Delete the trashed textures for good (write level)."""
    return one({"purged": store.empty_trash(collection_id)})


@router.post("/textures/{texture_id}/restore", responses=documented(Texture))
def restore_texture(texture_id: TextureId, store: Caller) -> JSONResponse:
    """Back from the trash (write level); a texture not in the trash answers as it is."""
    return one(store.restore_texture(texture_id))
