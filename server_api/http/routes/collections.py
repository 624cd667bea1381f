"""Collections and their textures (listing, counting, finding, uploading a new texture)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from server_api.http.deps import AppSettings, Caller
from server_api.http.respond import documented, done, items, one, page
from server_api.http.schemas import (
    NOTE_FIELD,
    ORIGINAL_PATH_FIELD,
    SHA256_FIELD,
    CollectionChangeBody,
    CollectionId,
    Count,
    Items,
    NewCollectionBody,
    upload_form,
)
from server_api.http.uploads import store_upload
from server_api.store.entities import Collection, Texture, TextureQuery
from server_api.store.query.parser import MAX_QUERY

router = APIRouter(prefix="/api/v1/collections", tags=["collections"])


@router.get("", responses=documented(Items[Collection]))
def list_collections(store: Caller) -> JSONResponse:
    """Every collection the caller can read."""
    return items(store.list_collections())


@router.post("", status_code=201, responses=documented(Collection, 201))
def create_collection(body: NewCollectionBody, store: Caller) -> JSONResponse:
    return one(store.create_collection(body.name, body.description), 201)


@router.get("/{collection_id}", responses=documented(Collection))
def get_collection(collection_id: CollectionId, store: Caller) -> JSONResponse:
    return one(store.get_collection(collection_id))


@router.patch("/{collection_id}", responses=documented(Collection))
def update_collection(collection_id: CollectionId, body: CollectionChangeBody, store: Caller) -> JSONResponse:
    return one(store.update_collection(collection_id, name=body.name, description=body.description))


@router.delete("/{collection_id}", status_code=204)
def delete_collection(collection_id: CollectionId, store: Caller) -> Response:
    store.delete_collection(collection_id)
    return done()


def texture_query(
    q: Annotated[str, Query(max_length=MAX_QUERY, description="the query language: wood -wip tag:bark "
                            "format:png,tga size:>=2048 depth:16 alpha:yes (README: Search and tags)")] = "",
    sort: Literal["name", "date", "size", "rank"] = "name",
    descending: bool = False,
) -> TextureQuery:
    return TextureQuery(text=q, sort=sort, descending=descending)


Filter = Annotated[TextureQuery, Depends(texture_query)]


@router.get("/{collection_id}/textures", responses=documented(Items[Texture]))
def list_textures(
    collection_id: CollectionId,
    store: Caller,
    query: Filter,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> JSONResponse:
    """One page of textures, filtered and sorted by the store; follow ``next`` for more."""
    return page(store.list_textures(collection_id, query, limit=limit, cursor=cursor))


@router.get("/{collection_id}/textures/count", responses=documented(Count))
def count_textures(collection_id: CollectionId, store: Caller, query: Filter) -> JSONResponse:
    return JSONResponse({"count": store.count_textures(collection_id, query)})


@router.get("/{collection_id}/textures/find", responses=documented(Texture | None))
def find_texture(
    collection_id: CollectionId,
    store: Caller,
    original_path: Annotated[str | None, Query(max_length=4096)] = None,
    sha256: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$")] = None,
) -> JSONResponse:
    """The texture with that original path or current bytes; null when there is none."""
    return one(store.find_texture(collection_id, original_path=original_path, sha256=sha256))


@router.post(
    "/{collection_id}/textures", status_code=201, responses=documented(Texture, 201),
    openapi_extra=upload_form({
        "original_path": ORIGINAL_PATH_FIELD, "note": NOTE_FIELD, "sha256": SHA256_FIELD,
        "name": {"description": "display name (default: the file name)", "maxLength": 500,
                 "pattern": "^[^\\x00-\\x1f]*$"},
    }, required=("original_path",)),
)
async def add_texture(
    collection_id: CollectionId,
    request: Request,
    store: Caller,
    settings: AppSettings,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> JSONResponse:
    """A new texture with version 1, from a streamed multipart upload (file, original_path)."""
    def add(source, fields: dict[str, str]) -> Texture:
        return store.add_texture(collection_id, source, original_path=fields["original_path"],
                                 name=fields.get("name") or None, note=fields.get("note", ""),
                                 upload_key=idempotency_key)

    texture = await store_upload(request, settings.tmp_dir, settings.max_upload_bytes, add,
                                 required=("original_path",))
    return one(texture, 201)
