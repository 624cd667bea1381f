"""Receive a batch import: many small files in one multipart body, each file part right after an
``item`` part (JSON: original_path, sha256, and optionally name and key, its idempotency key).

The whole batch is bounded (store/import_items.py: MAX_BATCH_FILES files, MAX_BATCH_BYTES of file
bytes), so it is held in memory and decided once it has arrived: a body cut off part-way stores
nothing. The body is refused with 413 as soon as it passes a limit (up front when Content-Length
already says so); it takes ONE upload slot (upload_gate.py) and arrives under the body timeouts,
as a single upload does. A malformed form is the request's error (400 naming the part); a bad file
is that file's verdict (store/sql/import_many.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from server_api.core.errors import VaultError
from server_api.http.upload_gate import UploadGate
from server_api.http.uploads import boundary_of, uploader_id
from server_api.store.import_items import MAX_BATCH_BYTES, MAX_BATCH_FILES, ImportItem

ITEM_FIELD, FILE_FIELD = "item", "file"
MAX_ITEM_BYTES = 16 * 1024  # one file's JSON description: a path, a hash, a name, a key
FORM_OVERHEAD = MAX_BATCH_FILES * (MAX_ITEM_BYTES + 512)  # item parts and part headers, at most
ITEM_KEYS = {"original_path", "sha256", "name", "key"}
R = TypeVar("R")


class _BatchReceiver:
    """python-multipart callbacks: ``item`` and ``file`` parts, in pairs, into ImportItems."""

    def __init__(self):
        self.items: list[ImportItem] = []
        self._name = ""
        self._headers: dict[bytes, bytes] = {}
        self._header_name = self._header_value = b""
        self._data = bytearray()
        self._described: dict | None = None  # the item part waiting for its file
        self._file_bytes = 0

    def callbacks(self) -> dict:
        return {"on_part_begin": self._part_begin, "on_header_field": self._header_field,
                "on_header_value": self._header_val, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_done, "on_part_data": self._part_data,
                "on_part_end": self._part_end}

    def _part_begin(self) -> None:
        self._headers, self._name, self._data = {}, "", bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_val(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name = self._header_value = b""

    def _headers_done(self) -> None:
        _kind, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        number = len(self.items) + 1
        if self._name == ITEM_FIELD:
            if self._described is not None:
                raise VaultError("invalid_argument", f"item {number - 1} has no file part after it")
            if len(self.items) >= MAX_BATCH_FILES:
                raise VaultError("too_large", f"a batch carries at most {MAX_BATCH_FILES} files; "
                                 "send the rest in another request")
        elif self._name == FILE_FIELD:
            if self._described is None:
                raise VaultError("invalid_argument", f"file part {number} must follow its {ITEM_FIELD} part")
        else:
            raise VaultError("invalid_argument", f"unexpected form part {self._name[:80]!r}: a batch has "
                             f"only {ITEM_FIELD!r} and {FILE_FIELD!r} parts")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self._data += data[start:end]
        if self._name == FILE_FIELD:
            self._file_bytes += end - start
            if self._file_bytes > MAX_BATCH_BYTES:
                raise VaultError("too_large", f"a batch carries at most {MAX_BATCH_BYTES} bytes of files; "
                                 "send big files one per request")
        elif len(self._data) > MAX_ITEM_BYTES:
            raise VaultError("too_large", f"item {len(self.items) + 1} is over {MAX_ITEM_BYTES} bytes")

    def _part_end(self) -> None:
        if self._name == ITEM_FIELD:
            self._described = _item_fields(self._data, len(self.items) + 1)
        elif self._name == FILE_FIELD:
            fields, self._described = self._described, None
            self.items.append(ImportItem(
                original_path=fields["original_path"], sha256=fields["sha256"].lower(),
                data=bytes(self._data), name=fields.get("name") or None,
                upload_key=fields.get("key") or None))

    def finished(self) -> list[ImportItem]:
        if self._described is not None:
            raise VaultError("invalid_argument", f"item {len(self.items) + 1} has no file part after it")
        if not self.items:
            raise VaultError("invalid_argument", f"the batch has no {FILE_FIELD!r} part")
        return self.items


def _item_fields(raw: bytearray, number: int) -> dict:
    try:
        fields = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise VaultError("invalid_argument", f"item {number} is not a JSON object") from None
    if not isinstance(fields, dict) or not {"original_path", "sha256"} <= fields.keys():
        raise VaultError("invalid_argument", f"item {number} needs original_path and sha256")
    unknown = sorted(set(fields) - ITEM_KEYS)
    if unknown:
        raise VaultError("invalid_argument", f"item {number} has an unknown field {unknown[0][:40]!r}")
    if not all(isinstance(value, str) for value in fields.values()):
        raise VaultError("invalid_argument", f"item {number}: every field is a string")
    return fields


async def receive_batch(request: Request, tmp_dir: Path, call: Callable[[list[ImportItem]], R]) -> R:
    """Take an upload slot, receive the whole batch, then run ``call(items)`` on an upload thread."""
    boundary = boundary_of(request)
    declared = request.headers.get("content-length")
    declared = int(declared) if declared is not None and declared.isdigit() else None
    limit = MAX_BATCH_BYTES + FORM_OVERHEAD
    try:
        if declared is not None and declared > limit:
            raise VaultError("too_large", f"a batch of {declared} bytes is over the limit of {limit} bytes; "
                             "send fewer or smaller files per request")
        gate: UploadGate = request.app.state.upload_gate
        async with gate.admit(request.app.state.store, await uploader_id(request), tmp_dir, declared or 0):
            items = await _receive(request, boundary, limit)
            return await gate.run(call, items)
    except BaseException:
        request.state.unread_body = True  # the error answer closes the connection: stop the sender
        raise


async def _receive(request: Request, boundary: bytes, limit: int) -> list[ImportItem]:
    receiver = _BatchReceiver()
    parser = MultipartParser(boundary, receiver.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise VaultError("too_large", f"a batch is over the limit of {limit} bytes")
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        raise VaultError("invalid_argument", f"malformed multipart body: {exc}") from None
    except ClientDisconnect:
        raise VaultError("invalid_argument", "the client disconnected mid-batch; nothing stored") from None
    return receiver.finished()
