"""The material part of the VaultStore interface (VaultStore inherits it; both faces implement it).

Permissions are the collection's: read level lists and shows, write level changes. Every change
is an event in the collection's activity log. Any change of the maps (which textures, their roles,
their current versions) makes exactly one material version per call, so one operation (a folder
dropped on a material, a batch import) makes one material version.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from server_api.store.entities import Page
from server_api.store.material_entities import MapSpec, Material, MaterialGroup, MaterialVersion


class MaterialsApi(ABC):
    @abstractmethod
    def list_materials(
        self, collection_id: int, *, limit: int = 200, cursor: str | None = None
    ) -> Page[Material]:
        """Materials by name, keyset-paginated."""

    @abstractmethod
    def get_material(self, material_id: int) -> Material: ...

    @abstractmethod
    def create_material(self, collection_id: int, name: str, maps: Sequence[MapSpec]) -> Material:
        """A material of textures of that collection; a texture already in a material: "conflict"."""

    @abstractmethod
    def rename_material(self, material_id: int, name: str) -> Material: ...

    @abstractmethod
    def add_material_maps(self, material_id: int, maps: Sequence[MapSpec]) -> Material:
        """Add textures (or change the role of ones already in it); one in another material: "conflict"."""

    @abstractmethod
    def set_map_role(
        self, material_id: int, texture_id: int, role: str, normal_convention: str | None = None
    ) -> Material:
        """Change one map's role; a texture that is not in the material: "not_found"."""

    @abstractmethod
    def remove_material_maps(self, material_id: int, texture_ids: Sequence[int]) -> Material:
        """Take textures out; grouping on import never puts them back."""

    @abstractmethod
    def split_material(self, material_id: int, texture_ids: Sequence[int], name: str) -> Material:
        """Move those maps into a new material called ``name``; returns the new one."""

    @abstractmethod
    def merge_materials(self, material_id: int, other_id: int) -> Material:
        """Move every map of ``other_id`` into ``material_id`` and delete ``other_id``."""

    @abstractmethod
    def delete_material(self, material_id: int) -> None:
        """The maps stay as plain textures (and grouping leaves them so)."""

    @abstractmethod
    def list_material_versions(self, material_id: int) -> list[MaterialVersion]:
        """Newest first."""

    @abstractmethod
    def set_current_material_version(self, material_id: int, number: int) -> Material:
        """Every map's texture goes back to the version that material version recorded."""

    @abstractmethod
    def set_material_maps_current(
        self, material_id: int, version_ids: Sequence[int], note: str = ""
    ) -> Material:
        """Make each of these versions (of maps of this material) current: one material version."""

    @abstractmethod
    def group_textures(
        self, collection_id: int, groups: Sequence[MaterialGroup], changed_texture_ids: Sequence[int] = ()
    ) -> list[Material]:
        """Apply grouping proposals (workflows.grouping) after an import, in one transaction.

        A group's files are found by original path. Textures already in a material, and textures
        the user took out of one, are left alone (corrections are never undone). A group joins the
        material made earlier from the same key, even after renames; otherwise it becomes a new
        material when at least two of its textures are free. ``changed_texture_ids``: textures
        whose current version the import changed; each material they are in gets one version.
        Returns the materials made or changed.
        """
