"""The retention part of RestVaultStore (server_api.http.routes.retention on the other side; issue 15)."""

from __future__ import annotations

from server_api.store import codec
from server_api.store.entities import Version
from server_api.store.retention_api import RetentionPolicy, RetentionReport, TrashedVersion, check_keep_last

API = "/api/v1"


class RestRetentionMixin:
    def retention(self, collection_id: int) -> RetentionPolicy:
        return codec.decode(RetentionPolicy, self._get(f"/collections/{int(collection_id)}/retention"))

    def set_retention(self, collection_id: int, keep_last: int | None) -> RetentionReport:
        # checked here too, so a bad number reads the same on every face (not FastAPI's 422 words)
        body = {"keep_last": check_keep_last(keep_last)}
        answer = self._http.call("PUT", f"{API}/collections/{int(collection_id)}/retention", json=body)
        return codec.decode(RetentionReport, answer)

    def retention_preview(self, collection_id: int, keep_last: int | None) -> RetentionReport:
        answer = self._get(f"/collections/{int(collection_id)}/retention/preview",
                           keep_last=check_keep_last(keep_last))
        return codec.decode(RetentionReport, answer)

    def list_version_trash(self, collection_id: int, *, limit: int = 1000) -> list[TrashedVersion]:
        answer = self._get(f"/collections/{int(collection_id)}/version-trash", limit=limit)
        return codec.decode_list(TrashedVersion, answer)

    def restore_version(self, version_id: int) -> Version:
        return codec.decode(Version, self._http.call("POST", f"{API}/versions/{int(version_id)}/restore"))

    def empty_version_trash(self, collection_id: int) -> int:
        answer = self._http.call("DELETE", f"{API}/collections/{int(collection_id)}/version-trash")
        return int(answer["purged"])
