"""RestVaultStore: the VaultStore of a shared server, over its REST API (server_api.http).

Behaves exactly like the local SqlVaultStore (the contract suite runs against both): the same
entities, the same VaultErrors. The server does every permission check; this side only translates.
"""

from __future__ import annotations

from typing import BinaryIO
from urllib.parse import quote

import requests

from server_api.content.ranges import check_length
from server_api.content.source import Progress, Source
from server_api.core.errors import VaultError
from server_api.store import codec
from server_api.store.base import VaultStore
from server_api.store.entities import (
    AuditEvent,
    Collection,
    Grant,
    ImportResult,
    Page,
    StorageUsage,
    Texture,
    TextureQuery,
    User,
    Version,
)
from server_api.store.import_items import ImportItem
from server_api.store.rest.changes import RestChangesMixin
from server_api.store.rest.materials import RestMaterialsMixin
from server_api.store.rest.qa import RestQaMixin
from server_api.store.rest.retention import RestRetentionMixin
from server_api.store.rest.review import RestReviewMixin
from server_api.store.rest.similar import RestSimilarMixin
from server_api.store.rest.tags import RestTagsMixin
from server_api.store.rest.transport import DownloadStream, Transport, range_header
from server_api.store.rest.upload import upload, upload_batch
from server_api.store.rest.webhooks import RestWebhooksMixin
from server_api.store.retention_api import check_keep_last

API = "/api/v1"


class RestVaultStore(RestSimilarMixin, RestRetentionMixin, RestQaMixin, RestTagsMixin, RestMaterialsMixin,
                     RestReviewMixin, RestChangesMixin, RestWebhooksMixin, VaultStore):
    kind = "remote"

    def __init__(self, url: str, *, token: str | None = None, timeout: tuple[float, float] | None = None):
        if not url.startswith(("http://", "https://")):
            raise VaultError("invalid_argument", f"a server address starts with http(s)://, not {url!r}")
        self.uri = url.rstrip("/")
        self.token = token
        self._http = Transport(self.uri, token, timeout=timeout)

    @classmethod
    def login(cls, url: str, username: str, password: str) -> str:
        """A new API token for that account (VaultError "unauthenticated" when the password is wrong)."""
        transport = Transport(url)
        try:
            answer = transport.call("POST", f"{API}/auth/login",
                                    json={"username": username, "password": password})
        finally:
            transport.close()
        return answer["token"]

    def ping(self) -> None:
        """One quick try at the server's health probe, no retries: is it there at all?"""
        self._http.probe("/healthz")

    def logout(self) -> None:
        """Revoke this store's token on the server; it stops working everywhere."""
        self._http.call("POST", f"{API}/auth/logout")

    def _get(self, path: str, **params) -> object:
        return self._http.call("GET", API + path, params={k: v for k, v in params.items() if v is not None})

    # ---- identity -------------------------------------------------------------------------
    def current_user(self) -> User:
        return codec.decode(User, self._get("/me"))

    def list_users(self, query: str = "", limit: int = 50, *, include_inactive: bool = False) -> list[User]:
        flag = "true" if include_inactive else None  # None: left out of the URL
        return codec.decode_list(User, self._get("/users", q=query, limit=limit, include_inactive=flag))

    def create_user(self, username: str, password: str | None, *, is_admin: bool = False,
                    display_name: str = "") -> User:
        body = {"username": username, "password": password, "is_admin": is_admin,
                "display_name": display_name}
        return codec.decode(User, self._http.call("POST", f"{API}/users", json=body))

    def set_user_active(self, username: str, active: bool) -> User:
        answer = self._http.call("PUT", f"{API}/users/{_seg(username)}/active", json={"active": active})
        return codec.decode(User, answer)

    def set_password(self, username: str, password: str, *, current_password: str | None = None) -> None:
        body = {"password": password}
        if current_password is not None:
            body["current_password"] = current_password
        self._http.call("PUT", f"{API}/users/{_seg(username)}/password", json=body)

    # ---- collections ----------------------------------------------------------------------
    def list_collections(self) -> list[Collection]:
        return codec.decode_list(Collection, self._get("/collections"))

    def get_collection(self, collection_id: int) -> Collection:
        return codec.decode(Collection, self._get(_coll(collection_id)))

    def create_collection(self, name: str, description: str = "") -> Collection:
        body = {"name": name, "description": description}
        answer = self._http.call("POST", f"{API}/collections", json=body)
        return codec.decode(Collection, answer)

    def update_collection(self, collection_id: int, *, name: str | None = None,
                          description: str | None = None) -> Collection:
        body = {k: v for k, v in (("name", name), ("description", description)) if v is not None}
        answer = self._http.call("PATCH", API + _coll(collection_id), json=body)
        return codec.decode(Collection, answer)

    def delete_collection(self, collection_id: int) -> None:
        self._http.call("DELETE", API + _coll(collection_id))

    # ---- textures -------------------------------------------------------------------------
    def list_textures(self, collection_id: int, query: TextureQuery = TextureQuery(), *,
                      limit: int = 200, cursor: str | None = None) -> Page[Texture]:
        path = _coll(collection_id) + "/textures"
        answer = self._get(path, limit=limit, cursor=cursor, **codec.query_to_params(query))
        return codec.decode_page(Texture, answer)

    def count_textures(self, collection_id: int, query: TextureQuery = TextureQuery()) -> int:
        path = _coll(collection_id) + "/textures/count"
        return int(self._get(path, **codec.query_to_params(query))["count"])

    def get_texture(self, texture_id: int) -> Texture:
        return codec.decode(Texture, self._get(_tex(texture_id)))

    def find_texture(self, collection_id: int, *, original_path: str | None = None,
                     sha256: str | None = None) -> Texture | None:
        path = _coll(collection_id) + "/textures/find"
        answer = self._get(path, original_path=original_path, sha256=sha256)
        return None if answer is None else codec.decode(Texture, answer)

    def add_texture(self, collection_id: int, source: Source, *, original_path: str,
                    name: str | None = None, note: str = "", progress: Progress | None = None,
                    upload_key: str | None = None) -> Texture:
        fields = {"original_path": original_path, "note": note, **({"name": name} if name else {})}
        answer = upload(self._http, API + _coll(collection_id) + "/textures",
                        source, fields, progress=progress, upload_key=upload_key)
        return codec.decode(Texture, answer)

    def delete_texture(self, texture_id: int) -> None:
        self._http.call("DELETE", API + _tex(texture_id))

    # ---- trash ----------------------------------------------------------------------------
    def list_trash(self, collection_id: int) -> list[Texture]:
        return codec.decode_list(Texture, self._get(_coll(collection_id) + "/trash"))

    def restore_texture(self, texture_id: int) -> Texture:
        return codec.decode(Texture, self._http.call("POST", API + _tex(texture_id) + "/restore"))

    def empty_trash(self, collection_id: int) -> int:
        return int(self._http.call("DELETE", API + _coll(collection_id) + "/trash")["purged"])

    # ---- versions -------------------------------------------------------------------------
    def list_versions(self, texture_id: int) -> list[Version]:
        return codec.decode_list(Version, self._get(_tex(texture_id) + "/versions"))

    def add_version(self, texture_id: int, source: Source, *, note: str = "", make_current: bool = True,
                    progress: Progress | None = None, upload_key: str | None = None) -> Version:
        fields = {"note": note, "make_current": "true" if make_current else "false"}
        answer = upload(self._http, API + _tex(texture_id) + "/versions",
                        source, fields, progress=progress, upload_key=upload_key)
        return codec.decode(Version, answer)

    def set_current_version(self, texture_id: int, version_id: int) -> Texture:
        answer = self._http.call("PUT", API + _tex(texture_id) + "/current",
                                 json={"version_id": _id(version_id, "version")})
        return codec.decode(Texture, answer)

    def open_version(self, version_id: int, *, start: int = 0, length: int | None = None) -> BinaryIO:
        check_length(length, f"version {version_id}")
        path = API + _ver(version_id) + "/file"
        wanted = range_header(start, length)
        response = self._http.send("GET", path, stream=True, headers={"Range": wanted} if wanted else None)
        if wanted and response.status_code != 206:  # a proxy in between may drop the Range header
            response.close()
            raise VaultError("unavailable", f"{self.uri} sent the whole file of version {version_id} "
                             f"when asked for {wanted}")

        def resume(first: int, last: int, etag: str) -> requests.Response:  # the rest of the same bytes
            return self._http.send("GET", path, stream=True,
                                   headers={"Range": f"bytes={first}-{last}", "If-Range": etag})

        return DownloadStream(response, self.uri, whole=not wanted, resume=resume)  # type: ignore[return-value]

    def version_thumbnail(self, version_id: int, side: int = 256) -> bytes:
        params = {"side": side} if side != 256 else None
        response = self._http.send("GET", API + _ver(version_id) + "/thumbnail", params=params)
        try:
            return response.content
        finally:
            response.close()

    def set_colour_space(self, version_id: int, colour_space: str) -> Version:
        answer = self._http.call("PUT", API + _ver(version_id) + "/colour-space",
                                 json={"colour_space": colour_space})
        return codec.decode(Version, answer)

    def record_publish(self, texture_id: int, version_id: int, path: str) -> Version:
        answer = self._http.call("POST", API + _tex(texture_id) + "/publications",
                                 json={"version_id": _id(version_id, "version"), "path": path})
        return codec.decode(Version, answer)

    # ---- sharing and audit ----------------------------------------------------------------
    def list_grants(self, collection_id: int) -> list[Grant]:
        return codec.decode_list(Grant, self._get(_coll(collection_id) + "/grants"))

    def set_grant(self, collection_id: int, username: str, level: str) -> Grant:
        path = API + _coll(collection_id) + f"/grants/{_seg(username)}"
        return codec.decode(Grant, self._http.call("PUT", path, json={"level": level}))

    def revoke_grant(self, collection_id: int, username: str) -> None:
        self._http.call("DELETE", API + _coll(collection_id) + f"/grants/{_seg(username)}")

    def list_events(self, collection_id: int, *, limit: int = 100,
                    cursor: str | None = None) -> Page[AuditEvent]:
        path = _coll(collection_id) + "/events"
        return codec.decode_page(AuditEvent, self._get(path, limit=limit, cursor=cursor))

    def storage_usage(self, keep_last: int | None = None) -> list[StorageUsage]:
        return codec.decode_list(StorageUsage, self._get("/storage", keep_last=check_keep_last(keep_last)))

    # ---- importing ------------------------------------------------------------------------
    def import_source(self, collection_id: int, source: Source, *, original_path: str, sha256: str,
                      name: str | None = None, progress: Progress | None = None,
                      upload_key: str | None = None, defer_material_version: bool = False) -> ImportResult:
        # sha256 goes BEFORE the file: the server decides from it (and answers "unchanged" without
        # storing anything); the trailing one still proves the bytes arrived whole.
        fields = {"original_path": original_path, "sha256": sha256, **({"name": name} if name else {}),
                  **({"defer_material_version": "true"} if defer_material_version else {})}
        answer = upload(self._http, API + _coll(collection_id) + "/imports",
                        source, fields, progress=progress, upload_key=upload_key)
        return codec.decode(ImportResult, answer)

    def import_many(self, collection_id: int, items: list[ImportItem]) -> list[ImportResult]:
        """Small files in one request (POST .../imports/batch): one verdict per file, in order."""
        answer = upload_batch(self._http, API + _coll(collection_id) + "/imports/batch", items)
        return [codec.decode(ImportResult, one) for one in answer["items"]]

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"RestVaultStore({self.uri!r})"


def _coll(collection_id: int) -> str:
    return f"/collections/{_id(collection_id, 'collection')}"


def _tex(texture_id: int) -> str:
    return f"/textures/{_id(texture_id, 'texture')}"


def _ver(version_id: int) -> str:
    return f"/versions/{_id(version_id, 'version')}"


def _id(value: object, kind: str) -> int:
    """Ids go into URLs: refuse anything but a plain int here, as the SQL store does."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise VaultError("invalid_argument", f"{kind} id must be an integer, not {value!r}")
    return value


def _seg(text: str) -> str:
    """A username as one URL path segment ("a/b" must not become two segments)."""
    if not isinstance(text, str) or not text:
        raise VaultError("invalid_argument", f"username must be a non-empty string, not {text!r}")
    return quote(text, safe="")
