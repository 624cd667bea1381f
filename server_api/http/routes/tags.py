"""Tags and search: the vocabulary, tagging many textures at once, search across collections."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from server_api.http.deps import Caller
from server_api.http.material_schemas import AnId
from server_api.http.respond import documented, done, items, one, page
from server_api.http.schemas import Items, Strict, TextureId
from server_api.store.entities import TextureQuery
from server_api.store.query.parser import MAX_QUERY
from server_api.store.tag_api import Found, SmartCollection, Tag

router = APIRouter(prefix="/api/v1", tags=["tags"])
TagName = Annotated[str, Field(min_length=1, max_length=200, pattern="^[^\\x00-\\x1f,]*$")]
TagPath = Annotated[str, Path(min_length=1, max_length=200, pattern="^[^\\x00-\\x1f,]*$")]
MAX_BATCH = 10_000  # textures tagged in one call


class TaggingBody(Strict):
    items: list[AnId] = Field(max_length=MAX_BATCH)  # texture or material ids, as the path says
    add: list[TagName] = Field(default=[], max_length=100)
    remove: list[TagName] = Field(default=[], max_length=100)


class RenameBody(Strict):
    name: TagName


class MergeBody(Strict):
    into: TagName


class ParentBody(Strict):
    parent: TagName | None


class SmartBody(Strict):
    name: TagName
    query: Annotated[str, Field(max_length=MAX_QUERY)]


class AliasBody(Strict):
    alias: TagName


@router.get("/tags", responses=documented(Items[Tag]))
def list_tags(store: Caller) -> JSONResponse:
    """The vault-wide vocabulary with counts of what the caller can read."""
    return items(store.list_tags())


@router.post("/tagging/textures", status_code=204)
def tag_textures(body: TaggingBody, store: Caller) -> Response:
    """Add and remove tags on many textures at once (write level on each), all or nothing."""
    store.tag_textures(body.items, add=body.add, remove=body.remove)
    return done()


@router.get("/textures/{texture_id}/tags", responses=documented(list[str]))
def texture_tags(texture_id: TextureId, store: Caller) -> JSONResponse:
    return JSONResponse(store.texture_tags(texture_id))


@router.post("/tagging/materials", status_code=204)
def tag_materials(body: TaggingBody, store: Caller) -> Response:
    """Add and remove tags on many materials at once (write level on each), all or nothing."""
    store.tag_materials(body.items, add=body.add, remove=body.remove)
    return done()


@router.get("/materials/{material_id}/tags", responses=documented(list[str]))
def material_tags(material_id: TextureId, store: Caller) -> JSONResponse:
    return JSONResponse(store.material_tags(material_id))


@router.patch("/tags/{name}", responses=documented(Tag))
def rename_tag(name: TagPath, body: RenameBody, store: Caller) -> JSONResponse:
    return one(store.rename_tag(name, body.name))


@router.post("/tags/{name}/merge", responses=documented(Tag))
def merge_tags(name: TagPath, body: MergeBody, store: Caller) -> JSONResponse:
    return one(store.merge_tags(name, body.into))


@router.put("/tags/{name}/parent", responses=documented(Tag))
def set_tag_parent(name: TagPath, body: ParentBody, store: Caller) -> JSONResponse:
    return one(store.set_tag_parent(name, body.parent))


@router.post("/tags/{name}/aliases", responses=documented(Tag))
def add_tag_alias(name: TagPath, body: AliasBody, store: Caller) -> JSONResponse:
    return one(store.add_tag_alias(body.alias, name))


@router.get("/search", responses=documented(Items[Found]))
def search(
    store: Caller,
    q: Annotated[str, Query(max_length=MAX_QUERY, description="the query language (README)")] = "",
    sort: Literal["name", "date", "size", "rank"] = "name",
    descending: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> JSONResponse:
    """Textures matching ``q`` in every collection the caller can read; follow ``next`` for more."""
    query = TextureQuery(text=q, sort=sort, descending=descending)
    return page(store.search_textures(query, limit=limit, cursor=cursor))


@router.get("/smart-collections", responses=documented(Items[SmartCollection]))
def list_smart_collections(store: Caller) -> JSONResponse:
    """The caller's saved queries with live counts; search one with GET /search?q=<its query>."""
    return items(store.list_smart_collections())


@router.put("/smart-collections", responses=documented(SmartCollection))
def save_smart_collection(body: SmartBody, store: Caller) -> JSONResponse:
    return one(store.save_smart_collection(body.name, body.query))


@router.delete("/smart-collections/{smart_id}", status_code=204)
def delete_smart_collection(smart_id: TextureId, store: Caller) -> Response:  # TextureId: any id's bounds
    store.delete_smart_collection(smart_id)
    return done()
