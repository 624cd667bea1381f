"""Materials: a collection's materials, one material, its maps, split/merge, versions, grouping."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from server_api.http.deps import Caller
from server_api.http.material_schemas import (
    GroupingBody,
    MapBody,
    MapsBody,
    MapsCurrentBody,
    MaterialChangeBody,
    MaterialCurrentBody,
    MaterialId,
    MergeBody,
    NewMaterialBody,
    RoleBody,
    SplitBody,
    TextureIdsBody,
)
from server_api.http.respond import documented, done, items, one, page
from server_api.http.schemas import CollectionId, Items, TextureId
from server_api.store.material_entities import GroupedMap, MapSpec, Material, MaterialGroup, MaterialVersion

collection_router = APIRouter(prefix="/api/v1/collections", tags=["materials"])
router = APIRouter(prefix="/api/v1/materials", tags=["materials"])


def _specs(maps: list[MapBody]) -> list[MapSpec]:
    return [MapSpec(m.texture_id, m.role, m.normal_convention) for m in maps]


@collection_router.get("/{collection_id}/materials", responses=documented(Items[Material]))
def list_materials(
    collection_id: CollectionId,
    store: Caller,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> JSONResponse:
    """One page of materials by name; follow ``next`` for more."""
    return page(store.list_materials(collection_id, limit=limit, cursor=cursor))


@collection_router.post("/{collection_id}/materials", status_code=201, responses=documented(Material, 201))
def create_material(collection_id: CollectionId, body: NewMaterialBody, store: Caller) -> JSONResponse:
    return one(store.create_material(collection_id, body.name, _specs(body.maps)), 201)


@collection_router.post("/{collection_id}/materials/grouping", responses=documented(Items[Material]))
def group_textures(collection_id: CollectionId, body: GroupingBody, store: Caller) -> JSONResponse:
    """Apply the import's grouping proposals; returns the materials made or changed."""
    groups = [
        MaterialGroup(
            g.key,
            g.name,
            tuple(GroupedMap(m.original_path, m.role, m.normal_convention, m.why) for m in g.maps),
            g.why,
        )
        for g in body.groups
    ]
    return items(store.group_textures(collection_id, groups, body.changed_texture_ids))


@router.get("/{material_id}", responses=documented(Material))
def get_material(material_id: MaterialId, store: Caller) -> JSONResponse:
    return one(store.get_material(material_id))


@router.patch("/{material_id}", responses=documented(Material))
def rename_material(material_id: MaterialId, body: MaterialChangeBody, store: Caller) -> JSONResponse:
    return one(store.rename_material(material_id, body.name))


@router.delete("/{material_id}", status_code=204)
def delete_material(material_id: MaterialId, store: Caller) -> Response:
    store.delete_material(material_id)
    return done()


@router.post("/{material_id}/maps", responses=documented(Material))
def add_maps(material_id: MaterialId, body: MapsBody, store: Caller) -> JSONResponse:
    """Add textures as maps (or change the role of maps already in it)."""
    return one(store.add_material_maps(material_id, _specs(body.maps)))


@router.put("/{material_id}/maps/{texture_id}", responses=documented(Material))
def set_role(material_id: MaterialId, texture_id: TextureId, body: RoleBody, store: Caller) -> JSONResponse:
    return one(store.set_map_role(material_id, texture_id, body.role, body.normal_convention))


@router.post("/{material_id}/removals", responses=documented(Material))
def remove_maps(material_id: MaterialId, body: TextureIdsBody, store: Caller) -> JSONResponse:
    """Take textures out; grouping on import never puts them back."""
    return one(store.remove_material_maps(material_id, body.texture_ids))


@router.post("/{material_id}/split", status_code=201, responses=documented(Material, 201))
def split_material(material_id: MaterialId, body: SplitBody, store: Caller) -> JSONResponse:
    return one(store.split_material(material_id, body.texture_ids, body.name), 201)


@router.post("/{material_id}/merge", responses=documented(Material))
def merge_materials(material_id: MaterialId, body: MergeBody, store: Caller) -> JSONResponse:
    return one(store.merge_materials(material_id, body.other_id))


@router.get("/{material_id}/versions", responses=documented(Items[MaterialVersion]))
def list_versions(material_id: MaterialId, store: Caller) -> JSONResponse:
    """Material versions, newest first."""
    return items(store.list_material_versions(material_id))


@router.put("/{material_id}/current", responses=documented(Material))
def set_current(material_id: MaterialId, body: MaterialCurrentBody, store: Caller) -> JSONResponse:
    return one(store.set_current_material_version(material_id, body.number))


@router.post("/{material_id}/versions", responses=documented(Material))
def set_maps_current(material_id: MaterialId, body: MapsCurrentBody, store: Caller) -> JSONResponse:
    """A new material version: these versions of its maps become current at once."""
    return one(store.set_material_maps_current(material_id, body.version_ids, body.note))
