"""Materials: PBR texture sets as one thing. Plain, frozen values that cross the store interface.

A material belongs to a collection and holds maps: textures with a role (and, for normals, the
convention: OpenGL green-up or DirectX green-down). A texture is in at most one material. A material
version records which version of each map was current; any change of the maps makes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server_api.store.entities import PublishResult

MATERIAL_ROLES: tuple[str, ...] = (
    "base_color",
    "normal",
    "bump",
    "roughness",
    "glossiness",
    "metallic",
    "ambient_occlusion",
    "height",
    "opacity",
    "emissive",
    "specular",
    "transmission",
    "orm",
    "other",
)
NORMAL_CONVENTIONS: tuple[str, ...] = ("opengl", "directx")


@dataclass(frozen=True)
class MapSpec:
    """A caller's wish: this texture in the material with this role."""

    texture_id: int
    role: str
    normal_convention: str | None = None  # opengl | directx | None (unknown); normals only


@dataclass(frozen=True)
class MaterialMap:
    texture_id: int
    name: str  # the texture's name
    role: str
    normal_convention: str | None
    version_id: int  # the texture's current version
    version_number: int


@dataclass(frozen=True)
class Material:
    id: int
    collection_id: int
    name: str
    maps: tuple[MaterialMap, ...]  # in role order (MATERIAL_ROLES), then by texture name
    version: int  # number of the current material version; 0 before the first
    version_count: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class MaterialVersionMap:
    texture_id: int
    role: str
    normal_convention: str | None
    version_id: int
    version_number: int


@dataclass(frozen=True)
class MaterialVersion:
    id: int
    material_id: int
    number: int  # 1, 2, 3 ... per material
    maps: tuple[MaterialVersionMap, ...]
    note: str
    created_by: str
    created_at: datetime
    is_current: bool


@dataclass(frozen=True)
class GroupedMap:
    """One file the grouping put into a material, and why."""

    original_path: str
    role: str
    normal_convention: str | None
    why: str  # "'nor' + 'gl' -> normal (opengl)"


@dataclass(frozen=True)
class MaterialGroup:
    """What grouping proposes: files of one folder that make one material."""

    key: str  # folder + stem: stays the material's grouping key whatever the user renames it to
    name: str
    maps: tuple[GroupedMap, ...]
    why: str


@dataclass(frozen=True)
class MaterialPublishResult:
    material_id: int
    version: int  # the material version whose maps were written
    published: tuple[PublishResult, ...]  # one per map, each with its path


def role_order(role: str) -> int:
    return MATERIAL_ROLES.index(role) if role in MATERIAL_ROLES else len(MATERIAL_ROLES)

