"""Receive a multipart upload straight from the socket into a temp file, hashing as it goes.

Never holds the body in memory: python-multipart's push parser is fed each chunk as it arrives, file
bytes go to disk, and the request is refused with 413 before reading on as soon as the body passes
the limit (up front when Content-Length already says so). Text fields are small and capped.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from server_api.errors import VaultError

MAX_FIELD_BYTES = 64 * 1024
_SHA256 = re.compile("[0-9a-fA-F]{64}")  # original_path, note, name: generous, but bounded


@dataclass
class Upload:
    path: Path  # the file part's bytes, on disk; the caller deletes it (see ``discard``)
    size: int
    sha256: str
    filename: str
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)

    def required(self, name: str) -> str:
        value = self.fields.get(name)
        if not value:
            raise VaultError("invalid_argument", f"the upload needs a {name!r} form field")
        return value

    def check_integrity(self) -> None:
        """When the client sent the file's sha256, the bytes we got must match it."""
        claimed = self.fields.get("sha256")
        if claimed is not None and not _SHA256.fullmatch(claimed):
            raise VaultError("invalid_argument", f"sha256 must be 64 hex digits, not {claimed[:80]!r}")
        if claimed and claimed.lower() != self.sha256:
            raise VaultError("invalid_argument", f"file {self.filename!r} was damaged in transit "
                             f"(sha256 {self.sha256} received, {claimed} sent)")


class _Receiver:
    """python-multipart callbacks: route each part to the temp file or to a small text field."""

    def __init__(self, out, file_field: str):
        self.out = out
        self.file_field = file_field
        self.hasher = hashlib.sha256()
        self.size = 0
        self.filename = ""
        self.fields: dict[str, str] = {}
        self.seen_file = False
        self._headers: dict[bytes, bytes] = {}
        self._header_name = b""
        self._header_value = b""
        self._name = ""
        self._text = bytearray()

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin, "on_header_field": self._header_field,
            "on_header_value": self._header_val, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done, "on_part_data": self._data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._name, self._text = {}, "", bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_val(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name, self._header_value = b"", b""

    def _headers_done(self) -> None:
        _kind, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == self.file_field:
            if self.seen_file:
                raise VaultError("invalid_argument", f"send one {self.file_field!r} part, not several")
            self.seen_file = True
            self.filename = options.get(b"filename", b"").decode("utf-8", "replace")

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._name == self.file_field:
            chunk = data[start:end]
            self.out.write(chunk)
            self.hasher.update(chunk)
            self.size += len(chunk)
            return
        self._text += data[start:end]
        if len(self._text) > MAX_FIELD_BYTES:
            raise VaultError("too_large", f"form field {self._name!r} is over {MAX_FIELD_BYTES} bytes")

    def _part_end(self) -> None:
        if self._name and self._name != self.file_field:
            try:
                self.fields[self._name] = self._text.decode("utf-8")
            except UnicodeDecodeError:
                raise VaultError("invalid_argument", f"form field {self._name!r} is not UTF-8") from None


async def receive_upload(request: Request, tmp_dir: Path, limit: int, file_field: str = "file") -> Upload:
    """Parse a multipart/form-data body; the file part lands in ``tmp_dir``. VaultError on bad input."""
    boundary = _boundary(request)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise VaultError("too_large", f"upload of {int(declared)} bytes is over the limit of {limit} bytes")
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=tmp_dir)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            receiver = _Receiver(out, file_field)
            parser = MultipartParser(boundary, receiver.callbacks())
            received = 0
            async for chunk in request.stream():
                received += len(chunk)
                if received > limit:
                    raise VaultError("too_large", f"upload is over the limit of {limit} bytes")
                parser.write(chunk)
            parser.finalize()
        if not receiver.seen_file:
            raise VaultError("invalid_argument", f"the upload has no {file_field!r} file part")
        return Upload(path=path, size=receiver.size, sha256=receiver.hasher.hexdigest(),
                      filename=receiver.filename, fields=receiver.fields)
    except MultipartParseError as exc:
        path.unlink(missing_ok=True)
        raise VaultError("invalid_argument", f"malformed multipart body: {exc}") from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _boundary(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise VaultError("invalid_argument", "send the file as multipart/form-data with a boundary")
    return boundary
