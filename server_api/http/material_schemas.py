"""Request bodies of the material routes (validated by FastAPI; the store checks roles and limits,
so the same bad input gets the same VaultError on every face)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path
from pydantic import BeforeValidator, Field

from server_api.http.schemas import MAX_ID, NAME_PATTERN, Strict
from server_api.store.limits import MAX_GROUPS_PER_CALL, MAX_MATERIAL_MAPS, MAX_MATERIAL_NAME
from server_api.store.material_entities import MATERIAL_ROLES, NORMAL_CONVENTIONS

MaterialId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]


def _no_bool(value):
    if isinstance(value, bool):  # JSON false/true are no ids (pydantic would read them as 0/1)
        raise ValueError("an id is an integer, not true or false")
    return value


AnId = Annotated[int, Field(ge=-MAX_ID, le=MAX_ID), BeforeValidator(_no_bool)]
Role = Literal[MATERIAL_ROLES]  # type: ignore[valid-type]
Convention = Literal[NORMAL_CONVENTIONS] | None  # type: ignore[valid-type]
Name = Annotated[str, Field(min_length=1, max_length=MAX_MATERIAL_NAME, pattern=NAME_PATTERN)]


class MapBody(Strict):
    texture_id: AnId
    role: Role
    normal_convention: Convention = None


class NewMaterialBody(Strict):
    name: Name
    maps: list[MapBody] = Field(default_factory=list, max_length=MAX_MATERIAL_MAPS)


class MaterialChangeBody(Strict):
    name: Name


class MapsBody(Strict):
    maps: list[MapBody] = Field(max_length=MAX_MATERIAL_MAPS)


class RoleBody(Strict):
    role: Role
    normal_convention: Convention = None


class TextureIdsBody(Strict):
    texture_ids: list[AnId] = Field(max_length=MAX_MATERIAL_MAPS)


class SplitBody(Strict):
    texture_ids: list[AnId] = Field(min_length=1, max_length=MAX_MATERIAL_MAPS)
    name: Name


class MergeBody(Strict):
    other_id: AnId


class MaterialCurrentBody(Strict):
    number: AnId


class MapsCurrentBody(Strict):
    version_ids: list[AnId] = Field(max_length=MAX_MATERIAL_MAPS)
    note: str = Field(default="", max_length=10_000)


class GroupedMapBody(Strict):
    original_path: str = Field(min_length=1, max_length=4096)
    role: Role
    normal_convention: Convention = None
    why: str = Field(default="", max_length=2000)


class GroupBody(Strict):
    key: str = Field(min_length=1, max_length=8192)
    name: Name
    maps: list[GroupedMapBody] = Field(min_length=1, max_length=MAX_MATERIAL_MAPS)
    why: str = Field(default="", max_length=4000)


class GroupingBody(Strict):
    groups: list[GroupBody] = Field(max_length=MAX_GROUPS_PER_CALL)
    changed_texture_ids: list[AnId] = Field(default_factory=list, max_length=1_000_000)
