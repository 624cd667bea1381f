"""One round trip per imported file (or per batch of small files): the server decides (THE import rule)
and stores in the same request."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from server_api.core.errors import VaultError
from server_api.http.deps import AppSettings, Caller
from server_api.http.respond import documented, items, one
from server_api.http.schemas import ORIGINAL_PATH_FIELD, CollectionId, upload_form
from server_api.http.upload_batch import receive_batch
from server_api.http.uploads import store_upload
from server_api.store.entities import ImportResult
from server_api.store.import_items import MAX_BATCH_BYTES, MAX_BATCH_FILES

router = APIRouter(prefix="/api/v1/collections", tags=["collections"])


@router.post(
    "/{collection_id}/imports", responses=documented(ImportResult),
    openapi_extra=upload_form({
        "original_path": ORIGINAL_PATH_FIELD,
        "sha256": {"description": "the file's sha256, sent BEFORE the file: the server decides from it and "
                   "the path whether the file is added, a new version or unchanged (then the bytes are "
                   "not stored); the bytes received must match it", "pattern": "^[0-9a-fA-F]{64}$"},
        "name": {"description": "display name when added (default: the file name)", "maxLength": 500,
                 "pattern": "^[^\\x00-\\x1f]*$"},
        "defer_material_version": {"description": "true: a new version's material gets no material version "
                                   "yet; the import makes one for all its files (.../materials/grouping)",
                                   "enum": ["true", "false"]},
    }, required=("original_path", "sha256")),
)
async def import_file(
    collection_id: CollectionId,
    request: Request,
    store: Caller,
    settings: AppSettings,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> JSONResponse:
    """Import one file: {"status": added | new_version | unchanged, "texture_id", "version", "note", …}.
    Bad bytes answer 415/413 with the reason, as an upload does."""
    def run(source, fields: dict[str, str]) -> ImportResult:
        return store.import_source(collection_id, source, original_path=fields["original_path"],
                                   sha256=fields["sha256"].lower(), name=fields.get("name") or None,
                                   upload_key=idempotency_key,
                                   defer_material_version=_flag(fields, "defer_material_version"))

    result = await store_upload(request, settings.tmp_dir, settings.max_upload_bytes, run,
                                required=("original_path", "sha256"))
    return one(result)


@router.post(
    "/{collection_id}/imports/batch",
    openapi_extra=upload_form({
        "item": {"description": "JSON {original_path, sha256, name?, key?} describing the file part that "
                 "follows it (key: that file's idempotency key); repeat item + file for each file, at most "
                 f"{MAX_BATCH_FILES} files and {MAX_BATCH_BYTES >> 20} MiB of files per request",
                 "contentMediaType": "application/json"},
    }, required=("item",)),
)
async def import_batch(collection_id: CollectionId, request: Request, store: Caller,
                       settings: AppSettings) -> JSONResponse:
    """Import many small files in one request: {"items": [one result per file, in order], "next": null}.
    Each file is decided by the same rule as POST .../imports and gets its own verdict (a bad file is
    "rejected" alone); a retry with the same keys answers what the first attempt made. New versions'
    materials wait for the import's grouping call, as with defer_material_version=true."""
    results = await receive_batch(request, settings.tmp_dir,
                                  lambda files: store.import_many(collection_id, files))
    return items(results)


def _flag(fields: dict[str, str], name: str) -> bool:
    value = fields.get(name, "false").strip().lower()
    if value not in ("true", "false"):
        raise VaultError("invalid_argument", f"{name} must be true or false, not {value[:20]!r}")
    return value == "true"
