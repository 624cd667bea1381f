"""The tags-and-search part of RestVaultStore (server_api.http.routes.tags on the other side)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from server_api.store import codec
from server_api.store.entities import Page, TextureQuery
from server_api.store.tag_api import Found, SmartCollection, Tag

API = "/api/v1"


class RestTagsMixin:
    def list_tags(self) -> list[Tag]:
        return codec.decode_list(Tag, self._get("/tags"))

    def tag_textures(self, texture_ids: Sequence[int], *, add: Sequence[str] = (),
                     remove: Sequence[str] = ()) -> None:
        body = {"items": list(texture_ids), "add": list(add), "remove": list(remove)}
        self._http.call("POST", f"{API}/tagging/textures", json=body)

    def texture_tags(self, texture_id: int) -> list[str]:
        return list(self._get(f"/textures/{int(texture_id)}/tags"))

    def tag_materials(self, material_ids: Sequence[int], *, add: Sequence[str] = (),
                      remove: Sequence[str] = ()) -> None:
        body = {"items": list(material_ids), "add": list(add), "remove": list(remove)}
        self._http.call("POST", f"{API}/tagging/materials", json=body)

    def material_tags(self, material_id: int) -> list[str]:
        return list(self._get(f"/materials/{int(material_id)}/tags"))

    def rename_tag(self, name: str, new_name: str) -> Tag:
        return self._tag("PATCH", _tag(name), {"name": new_name})

    def merge_tags(self, name: str, into: str) -> Tag:
        return self._tag("POST", _tag(name) + "/merge", {"into": into})

    def set_tag_parent(self, name: str, parent: str | None) -> Tag:
        return self._tag("PUT", _tag(name) + "/parent", {"parent": parent})

    def add_tag_alias(self, alias: str, name: str) -> Tag:
        return self._tag("POST", _tag(name) + "/aliases", {"alias": alias})

    def search_textures(self, query: TextureQuery = TextureQuery(), *, limit: int = 200,
                        cursor: str | None = None) -> Page[Found]:
        answer = self._get("/search", limit=limit, cursor=cursor, **codec.query_to_params(query))
        return codec.decode_page(Found, answer)

    def list_smart_collections(self) -> list[SmartCollection]:
        return codec.decode_list(SmartCollection, self._get("/smart-collections"))

    def save_smart_collection(self, name: str, query: str) -> SmartCollection:
        answer = self._http.call("PUT", f"{API}/smart-collections", json={"name": name, "query": query})
        return codec.decode(SmartCollection, answer)

    def delete_smart_collection(self, smart_id: int) -> None:
        self._http.call("DELETE", f"{API}/smart-collections/{int(smart_id)}")

    def _tag(self, method: str, path: str, body: dict) -> Tag:
        return codec.decode(Tag, self._http.call(method, API + path, json=body))


def _tag(name: str) -> str:
    return "/tags/" + quote(str(name), safe="")
