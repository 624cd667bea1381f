"""The similar-images part of RestVaultStore (server_api.http.routes.similar on the other side)."""

from __future__ import annotations

from server_api.store import codec
from server_api.store.similar_api import (
    COLOUR_DISTANCE,
    DUPLICATE_DISTANCE,
    REINDEX_BATCH,
    ColourMatch,
    DuplicateGroup,
    ReindexBatch,
    Similar,
    check_colour,
    check_distance,
    check_limit,
    check_reindex,
)

API = "/api/v1"


class RestSimilarMixin:
    def similar(self, texture_id: int, *, limit: int = 20) -> list[Similar]:
        return codec.decode_list(Similar, self._get(f"/textures/{int(texture_id)}/similar",
                                                         limit=check_limit(limit)))

    def duplicates(self, collection_id: int, *, distance: int = DUPLICATE_DISTANCE) -> list[DuplicateGroup]:
        answer = self._get(f"/collections/{int(collection_id)}/duplicates", distance=check_distance(distance))
        return codec.decode_list(DuplicateGroup, answer)

    def colour_search(self, colour: str, *, limit: int = 50,
                      distance: float = COLOUR_DISTANCE) -> list[ColourMatch]:
        check_colour(colour, distance)
        answer = self._get("/colour-search", colour=colour, limit=check_limit(limit), distance=distance)
        return codec.decode_list(ColourMatch, answer)

    def reindex_fingerprints(self, *, after: str | None = None, limit: int = REINDEX_BATCH) -> ReindexBatch:
        check_reindex(after, limit)
        body = {"limit": limit} if after is None else {"after": after, "limit": limit}
        return codec.decode(ReindexBatch, self._http.call("POST", f"{API}/fingerprints/reindex", json=body))
