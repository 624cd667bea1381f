"""Similar images and near-duplicates (the query language's similar:/colour: go through /search)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from server_api.http.deps import Caller
from server_api.http.respond import documented, items, one
from server_api.http.schemas import CollectionId, Items, Strict, TextureId
from server_api.store.similar_api import (
    COLOUR_DISTANCE,
    DUPLICATE_DISTANCE,
    MAX_COLOUR_DISTANCE,
    MAX_DISTANCE,
    MAX_REINDEX_BATCH,
    MAX_SIMILAR,
    REINDEX_BATCH,
    ColourMatch,
    DuplicateGroup,
    ReindexBatch,
    Similar,
)

router = APIRouter(prefix="/api/v1", tags=["similar"])


@router.get("/textures/{texture_id}/similar", responses=documented(Items[Similar]))
def similar(texture_id: TextureId, store: Caller,
            limit: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 20) -> JSONResponse:
    """Textures that look like this one, nearest first, from every collection the caller can read."""
    return items(store.similar(texture_id, limit=limit))


@router.get("/collections/{collection_id}/duplicates", responses=documented(Items[DuplicateGroup]))
def duplicates(collection_id: CollectionId, store: Caller,
               distance: Annotated[int, Query(ge=0, le=MAX_DISTANCE)] = DUPLICATE_DISTANCE) -> JSONResponse:
    """Groups of near-duplicate textures in the collection (read level), biggest first."""
    return items(store.duplicates(collection_id, distance=distance))


@router.get("/colour-search", responses=documented(Items[ColourMatch]))
def colour_search(store: Caller,
                  colour: Annotated[str, Query(pattern="^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$",
                                               description="#rrggbb (or #rgb)")],
                  limit: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 50,
                  distance: Annotated[float, Query(ge=1, le=MAX_COLOUR_DISTANCE)] = COLOUR_DISTANCE,
                  ) -> JSONResponse:
    """Textures with much of the colour, best first (ΔE of the closest dominant colour, and its share)."""
    return items(store.colour_search(colour, limit=limit, distance=distance))


class ReindexBody(Strict):
    after: str | None = Field(None, pattern="^[0-9a-f]{64}$", description="the last batch's next")
    limit: int = Field(REINDEX_BATCH, ge=1, le=MAX_REINDEX_BATCH)


@router.post("/fingerprints/reindex", responses=documented(ReindexBatch))
def reindex_fingerprints(body: ReindexBody, store: Caller) -> JSONResponse:
    """Server admins: fingerprint one batch of bytes with none (or an older recipe's), here on the
    server; repeat with ``after`` = the answer's ``next`` until it is null (``vault reindex`` does)."""
    return one(store.reindex_fingerprints(after=body.after, limit=body.limit))
