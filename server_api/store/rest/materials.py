"""The material part of RestVaultStore (server_api.http.routes.materials on the other side)."""

from __future__ import annotations

from collections.abc import Sequence

from server_api.core.errors import VaultError
from server_api.store import codec
from server_api.store.entities import Page
from server_api.store.limits import MAX_GROUPS_PER_CALL
from server_api.store.material_entities import MapSpec, Material, MaterialGroup, MaterialVersion

API = "/api/v1"


class RestMaterialsMixin:
    def list_materials(
        self, collection_id: int, *, limit: int = 200, cursor: str | None = None
    ) -> Page[Material]:
        answer = self._get(
            f"/collections/{_id(collection_id, 'collection')}/materials", limit=limit, cursor=cursor
        )
        return codec.decode_page(Material, answer)

    def get_material(self, material_id: int) -> Material:
        return codec.decode(Material, self._get(_mat(material_id)))

    def create_material(self, collection_id: int, name: str, maps: Sequence[MapSpec]) -> Material:
        body = {"name": name, "maps": [codec.encode(_spec(m)) for m in maps]}
        return self._material("POST", f"/collections/{_id(collection_id, 'collection')}/materials", body)

    def rename_material(self, material_id: int, name: str) -> Material:
        return self._material("PATCH", _mat(material_id), {"name": name})

    def add_material_maps(self, material_id: int, maps: Sequence[MapSpec]) -> Material:
        return self._material(
            "POST", _mat(material_id) + "/maps", {"maps": [codec.encode(_spec(m)) for m in maps]}
        )

    def set_map_role(
        self, material_id: int, texture_id: int, role: str, normal_convention: str | None = None
    ) -> Material:
        body = {"role": role, "normal_convention": normal_convention}
        return self._material("PUT", _mat(material_id) + f"/maps/{_id(texture_id, 'texture')}", body)

    def remove_material_maps(self, material_id: int, texture_ids: Sequence[int]) -> Material:
        return self._material("POST", _mat(material_id) + "/removals", {"texture_ids": list(texture_ids)})

    def split_material(self, material_id: int, texture_ids: Sequence[int], name: str) -> Material:
        body = {"texture_ids": list(texture_ids), "name": name}
        return self._material("POST", _mat(material_id) + "/split", body)

    def merge_materials(self, material_id: int, other_id: int) -> Material:
        return self._material("POST", _mat(material_id) + "/merge", {"other_id": other_id})

    def delete_material(self, material_id: int) -> None:
        self._http.call("DELETE", API + _mat(material_id))

    def list_material_versions(self, material_id: int) -> list[MaterialVersion]:
        return codec.decode_list(MaterialVersion, self._get(_mat(material_id) + "/versions"))

    def set_current_material_version(self, material_id: int, number: int) -> Material:
        return self._material(
            "PUT", _mat(material_id) + "/current", {"number": _id(number, "material version number")}
        )

    def set_material_maps_current(
        self, material_id: int, version_ids: Sequence[int], note: str = ""
    ) -> Material:
        body = {"version_ids": list(version_ids), "note": note}
        return self._material("POST", _mat(material_id) + "/versions", body)

    def group_textures(
        self, collection_id: int, groups: Sequence[MaterialGroup], changed_texture_ids: Sequence[int] = ()
    ) -> list[Material]:
        # In parts of MAX_GROUPS_PER_CALL (each its own transaction); the changed ids go with the last.
        path = API + f"/collections/{_id(collection_id, 'collection')}/materials/grouping"
        groups = list(groups)
        made: dict[int, Material] = {}
        for start in range(0, max(len(groups), 1), MAX_GROUPS_PER_CALL):
            part = groups[start : start + MAX_GROUPS_PER_CALL]
            last = start + MAX_GROUPS_PER_CALL >= len(groups)
            body = {"groups": [codec.encode(g) for g in part],
                    "changed_texture_ids": list(changed_texture_ids) if last else []}
            for material in codec.decode_list(Material, self._http.call("POST", path, json=body)):
                made[material.id] = material
        return list(made.values())

    def _material(self, method: str, path: str, body: dict) -> Material:
        return codec.decode(Material, self._http.call(method, API + path, json=body))


def _spec(value: object) -> MapSpec:
    if not isinstance(value, MapSpec):
        raise VaultError("invalid_argument", f"a map is a texture id with a role, not {value!r}")
    return value


def _mat(material_id: int) -> str:
    return f"/materials/{_id(material_id, 'material')}"


def _id(value: object, kind: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise VaultError("invalid_argument", f"{kind} id must be an integer, not {value!r}")
    return value
