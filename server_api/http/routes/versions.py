"""A version's bytes (streamed) and its thumbnail (cacheable: a version's bytes never change)."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response, StreamingResponse

from server_api.http.deps import Caller
from server_api.http.respond import documented, one
from server_api.http.schemas import ColourSpaceBody, VersionId
from server_api.store.entities import Version

router = APIRouter(prefix="/api/v1/versions", tags=["versions"])

CHUNK = 1 << 20
IMMUTABLE = "private, max-age=31536000, immutable"  # private: only the signed-in caller may see it
_BYTES = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
_IMAGE = {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}


@router.get("/{version_id}/file", response_class=StreamingResponse, responses={
    200: {"description": "the version's bytes", **_BYTES}, 304: {"description": "unchanged"}})
def download(
    version_id: VersionId, store: Caller, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    """The version's bytes, streamed, with ETag = the bytes' sha256 (from the version's row)."""
    stream = store.open_version(version_id)
    etag, size = stream.sha256, stream.size  # an AddressedStream: never guessed from a file name
    headers = {"Cache-Control": IMMUTABLE, "ETag": f'"{etag}"', "Content-Length": str(size)}
    if if_none_match and etag in if_none_match:
        stream.close()
        return Response(status_code=304, headers=headers)
    return StreamingResponse(_chunks(stream), media_type="application/octet-stream", headers=headers)


@router.get("/{version_id}/thumbnail", responses={200: {"description": "a small image", **_IMAGE},
                                                   304: {"description": "unchanged"}})
def thumbnail(
    version_id: VersionId, store: Caller, if_none_match: Annotated[str | None, Header()] = None,
    side: Annotated[int, Query(ge=256, le=512, multiple_of=256,  # 256 or 512, said so in the schema
                               description="256 (default) or 512, a larger preview")] = 256,
) -> Response:
    """A thumbnail about 256 px on its longest side (``side=512``: a larger preview): JPEG, or
    PNG/WebP where there is alpha."""
    data = store.version_thumbnail(version_id, side)
    etag = hashlib.sha256(data).hexdigest()
    headers = {"Cache-Control": IMMUTABLE, "ETag": f'"{etag}"'}
    if if_none_match and etag in if_none_match:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=_image_type(data), headers=headers)


@router.put("/{version_id}/colour-space", responses=documented(Version))
def set_colour_space(version_id: VersionId, body: ColourSpaceBody, store: Caller) -> Response:
    """Override the colour space import decided for this version (write level)."""
    return one(store.set_colour_space(version_id, body.colour_space))


def _chunks(stream):
    # A sync generator: Starlette runs it in the thread pool, one chunk at a time.
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"
