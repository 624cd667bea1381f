"""One texture: details, deletion, its version timeline, new versions, current version, publishing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response

from server_api.core.errors import VaultError
from server_api.http.deps import AppSettings, Caller
from server_api.http.respond import documented, done, items, one
from server_api.http.schemas import (
    NOTE_FIELD,
    SHA256_FIELD,
    CurrentBody,
    Items,
    PublicationBody,
    TextureId,
    upload_form,
)
from server_api.http.uploads import store_upload
from server_api.store.entities import Texture, Version

router = APIRouter(prefix="/api/v1/textures", tags=["textures"])


@router.get("/{texture_id}", responses=documented(Texture))
def get_texture(texture_id: TextureId, store: Caller) -> JSONResponse:
    return one(store.get_texture(texture_id))


@router.delete("/{texture_id}", status_code=204)
def delete_texture(texture_id: TextureId, store: Caller) -> Response:
    store.delete_texture(texture_id)
    return done()


@router.get("/{texture_id}/versions", responses=documented(Items[Version]))
def list_versions(texture_id: TextureId, store: Caller) -> JSONResponse:
    """The timeline, newest first; each item has "id" and "number"."""
    return items(store.list_versions(texture_id))


@router.post(
    "/{texture_id}/versions", status_code=201, responses=documented(Version, 201),
    openapi_extra=upload_form({
        "note": NOTE_FIELD, "sha256": SHA256_FIELD,
        "make_current": {"description": "make it the current version (default true)",
                         "enum": ["true", "false"]},
    }),
)
async def add_version(
    texture_id: TextureId,
    request: Request,
    store: Caller,
    settings: AppSettings,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> JSONResponse:
    """Version N+1 from a streamed multipart upload (file, note)."""
    def add(source, fields: dict[str, str]) -> Version:
        return store.add_version(texture_id, source, note=fields.get("note", ""),
                                 make_current=_flag(fields.get("make_current", "true")),
                                 upload_key=idempotency_key)

    version = await store_upload(request, settings.tmp_dir, settings.max_upload_bytes, add)
    return one(version, 201)


@router.put("/{texture_id}/current", responses=documented(Texture))
def set_current(texture_id: TextureId, body: CurrentBody, store: Caller) -> JSONResponse:
    """Make an older (or newer) version the current one again."""
    return one(store.set_current_version(texture_id, body.version_id))


@router.post("/{texture_id}/publications", responses=documented(Version))
def record_publish(texture_id: TextureId, body: PublicationBody, store: Caller) -> JSONResponse:
    """Note that a client wrote this version's bytes to a path on its disk."""
    return one(store.record_publish(texture_id, body.version_id, body.path))


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise VaultError("invalid_argument", f"make_current must be true or false, not {text!r}")
