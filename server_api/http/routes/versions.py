"""A version's bytes (streamed) and its thumbnail (cacheable: a version's bytes never change)."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response, StreamingResponse

from server_api.core.errors import RangeNotSatisfiable
from server_api.http.deps import Caller
from server_api.http.respond import documented, one
from server_api.http.schemas import ColourSpaceBody, VersionId
from server_api.store.entities import Version

router = APIRouter(prefix="/api/v1/versions", tags=["versions"])

CHUNK = 1 << 20
_RANGE = re.compile(r"\s*bytes\s*=\s*(\d{0,18})\s*-\s*(\d{0,18})\s*")  # one range; 18 digits: no huge ints
IMMUTABLE = "private, max-age=31536000, immutable"  # private: only the signed-in caller may see it
_BYTES = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
_IMAGE = {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}


@router.get("/{version_id}/file", response_class=StreamingResponse, responses={
    200: {"description": "the version's bytes", **_BYTES}, 304: {"description": "unchanged"},
    206: {"description": "the byte range asked for (Content-Range says which)", **_BYTES},
    416: {"description": "the range starts past the end (Content-Range: bytes */size)"}})
def download(
    version_id: VersionId, store: Caller, if_none_match: Annotated[str | None, Header()] = None,
    range_header: Annotated[str | None, Header(alias="Range", description=(
        "one byte range: bytes=FIRST-[LAST] or bytes=-SUFFIX (several ranges, or a malformed one: "
        "the whole file)"))] = None,
    if_range: Annotated[str | None, Header(description="the ETag the client holds a part of: the "
                                           "range only while the bytes are still those")] = None,
) -> Response:
    """The version's bytes, streamed, with ETag = the bytes' sha256 (from the version's row); with a
    Range header, only those bytes (206), so an interrupted download resumes where it stopped."""
    wanted = parse_range(range_header)
    stream = store.open_version(version_id, start=wanted[0], length=wanted[1]) if wanted else \
        store.open_version(version_id)
    etag = f'"{stream.sha256}"'  # an AddressedStream: never guessed from a file name
    headers = {"Cache-Control": IMMUTABLE, "ETag": etag, "Accept-Ranges": "bytes"}
    if if_none_match and stream.sha256 in if_none_match:
        stream.close()
        return Response(status_code=304, headers=headers)
    if wanted and if_range is not None and if_range.strip() != etag:  # a date or another ETag
        stream.close()
        stream, wanted = store.open_version(version_id), None
    if wanted and stream.size == 0:  # no byte of an empty file can be asked for
        stream.close()
        raise RangeNotSatisfiable(f"version {version_id} is empty: it has no byte range", 0)
    headers["Content-Length"] = str(stream.length)
    if not wanted:
        return StreamingResponse(_chunks(stream), media_type="application/octet-stream", headers=headers)
    headers["Content-Range"] = f"bytes {stream.start}-{stream.start + stream.length - 1}/{stream.size}"
    return StreamingResponse(_chunks(stream), status_code=206, media_type="application/octet-stream",
                             headers=headers)


def parse_range(header: str | None) -> tuple[int, int | None] | None:
    """(start, length or None) of one ``bytes=`` range, a suffix as a negative start; None for no
    header, several ranges or one that does not parse (then the whole file is the answer)."""
    found = _RANGE.fullmatch(header or "")
    if found is None:
        return None
    first, last = found.groups()
    if not first:
        return (-int(last), None) if last and int(last) > 0 else None
    if not last:
        return int(first), None
    return (int(first), int(last) - int(first) + 1) if int(last) >= int(first) else None


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
