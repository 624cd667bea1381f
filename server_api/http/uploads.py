"""Receive a multipart upload straight from the socket into the store, hashing as it goes.

Never holds the body in memory: python-multipart's push parser is fed each chunk as it arrives.
When the text fields come before the file (what RestVaultStore, requests, httpx and curl -F send),
the store call starts at the file's first byte and reads it through a BodyPipe while it arrives;
when the file comes first, it is spooled to a temp file and stored once the fields are known.
(Fields on both sides of the file are refused: the store call already started without them.)
The body is refused with 413 as soon as it passes the limit (up front when Content-Length already
says so), and a store call that fails before reading (no permission, no such collection) answers at
once, without reading the rest.
A trailing ``sha256`` field, when sent, must match the bytes received, or nothing is stored.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from fastapi.concurrency import run_in_threadpool
from fastapi.security.utils import get_authorization_scheme_param
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from server_api.content.source import Source
from server_api.core.errors import VaultError
from server_api.http.upload_gate import UploadGate
from server_api.http.upload_pipe import BodyPipe

MAX_FIELD_BYTES = 64 * 1024  # original_path, note, name: generous, but bounded
# Our forms have at most six parts; 10,000 small ones once cost the server 640 MB (issue 10).
MAX_PARTS = 32
MAX_TEXT_BYTES = 256 * 1024  # all text fields together
FILE_FIELD = "file"
ROOM_CHECK_BYTES = 64 << 20  # look at the free space again after this much more has arrived
PIPE_GRACE_SECONDS = 30  # the store thread outwaits the loop's own idle timeout by this much
log = logging.getLogger("vault.server")
_SHA256 = re.compile("[0-9a-fA-F]{64}")
R = TypeVar("R")
StoreCall = Callable[[Source, dict[str, str]], R]  # (the file, the text fields) -> the stored entity


class _Receiver:
    """python-multipart callbacks: the file part goes to ``sink``, the small text parts to ``fields``."""

    def __init__(self, on_file_start: Callable[[dict[str, str]], Callable[[bytes], None]]):
        self.on_file_start = on_file_start
        self.fields: dict[str, str] = {}
        self.seen_file = False
        self.sink: Callable[[bytes], None] | None = None
        self._headers: dict[bytes, bytes] = {}
        self._header_name = self._header_value = b""
        self._name = ""
        self._text = bytearray()
        self._parts = 0
        self._text_total = 0

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin, "on_header_field": self._header_field,
            "on_header_value": self._header_val, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done, "on_part_data": self._data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._name, self._text = {}, "", bytearray()
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise VaultError("too_large", f"the form has over {MAX_PARTS} parts; an upload needs a few")

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]  # python-multipart caps headers (size and count)

    def _header_val(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name = self._header_value = b""

    def _headers_done(self) -> None:
        _kind, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == FILE_FIELD:
            if self.seen_file:
                raise VaultError("invalid_argument", f"send one {FILE_FIELD!r} part, not several")
            self.seen_file = True
            self.sink = self.on_file_start(self.fields)

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._name == FILE_FIELD:
            self.sink(data[start:end])
            return
        self._text += data[start:end]
        self._text_total += end - start
        if len(self._text) > MAX_FIELD_BYTES:
            raise VaultError("too_large", f"form field {self._name[:80]!r} is over {MAX_FIELD_BYTES} bytes")
        if self._text_total > MAX_TEXT_BYTES:
            raise VaultError("too_large", f"the form's text fields are over {MAX_TEXT_BYTES} bytes together")

    def _part_end(self) -> None:
        if self._name and self._name != FILE_FIELD:
            try:
                self.fields[self._name] = self._text.decode("utf-8")
            except UnicodeDecodeError:
                raise VaultError("invalid_argument", f"form field {self._name!r} is not UTF-8") from None

    def check_complete(self) -> None:
        if not self.seen_file:
            raise VaultError("invalid_argument", f"the upload has no {FILE_FIELD!r} file part")
        claimed = self.fields.get("sha256")
        if claimed is not None and not _SHA256.fullmatch(claimed):
            raise VaultError("invalid_argument", f"sha256 must be 64 hex digits, not {claimed[:80]!r}")


async def store_upload(request: Request, tmp_dir: Path, limit: int, call: StoreCall[R],
                       required: tuple[str, ...] = ()) -> R:
    """Parse a multipart/form-data body and hand its file to ``call`` (run on an upload thread).

    The upload first takes a slot from the app's UploadGate (429/503/507 before a byte is read);
    the body arrives under the BodyTimeouts middleware's clock (408 when it stalls)."""
    boundary = boundary_of(request)
    declared = request.headers.get("content-length")
    declared = int(declared) if declared is not None and declared.isdigit() else None
    try:
        if declared is not None and declared > limit:
            raise VaultError("too_large", f"upload of {declared} bytes is over the limit of {limit} bytes")
        gate: UploadGate = request.app.state.upload_gate
        uploader = await uploader_id(request)
        async with gate.admit(request.app.state.store, uploader, tmp_dir, declared or 0):
            return await _receive(request, boundary, tmp_dir, limit, call, required, gate)
    except BaseException:
        request.state.unread_body = True  # the error answer closes the connection: stop the sender
        raise


async def uploader_id(request: Request) -> int:
    """The signed-in account's id (the Caller dependency already checked the token)."""
    _scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return (await run_in_threadpool(request.app.state.store.user_for_token, token)).id


async def _receive(request: Request, boundary: bytes, tmp_dir: Path, limit: int, call: StoreCall[R],
                   required: tuple[str, ...], gate: UploadGate) -> R:
    upload = _Upload(call, required, tmp_dir, gate)
    receiver = _Receiver(upload.start)
    parser = MultipartParser(boundary, receiver.callbacks())
    try:
        received, next_room_check = 0, ROOM_CHECK_BYTES
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise VaultError("too_large", f"upload is over the limit of {limit} bytes")
            if received >= next_room_check:  # the disk may fill while a big upload arrives
                gate.check_room(tmp_dir)
                next_room_check += ROOM_CHECK_BYTES
            parser.write(chunk)
            await upload.forward()
            upload.raise_if_refused()  # the store said no before reading: answer now, read no more
        parser.finalize()
        receiver.check_complete()
        upload.check_field_order(receiver.fields)
    except MultipartParseError as exc:
        await upload.abort(VaultError("invalid_argument", f"malformed multipart body: {exc}"))
    except ClientDisconnect:
        # Nobody is left to answer: one line in the log, not a traceback.
        log.warning("client %s went away mid-upload of %s after %d bytes; nothing stored",
                 request.client.host if request.client else "?", request.url.path, received)
        await upload.abort(VaultError("invalid_argument", "the client disconnected mid-upload"))
    except BaseException as exc:  # noqa: BLE001 (re-raised by abort, after the store call stopped)
        await upload.abort(exc)
    return await upload.complete(receiver.fields)


class _Upload:
    """Where the file part goes: into a store call that is already running, or to a temp file."""

    def __init__(self, call: StoreCall, required: tuple[str, ...], tmp_dir: Path, gate: UploadGate):
        self.call, self.required, self.tmp_dir, self.gate = call, required, tmp_dir, gate
        self.pipe: BodyPipe | None = None
        self.task: asyncio.Future | None = None
        self.pending: list[bytes] = []
        self.spool = None
        self.spool_path: Path | None = None
        self.spool_hash = hashlib.sha256()
        self.fields_at_start: set[str] = set()

    def start(self, fields_so_far: dict[str, str]) -> Callable[[bytes], None]:
        fields = dict(fields_so_far)
        self.fields_at_start = set(fields)
        # Fields first (the usual order): store while receiving. File first: spool, then store.
        if fields and all(fields.get(name) for name in self.required):
            announced = fields.get("sha256")  # said before the file: the store may send on as it comes
            self.pipe = BodyPipe(wait_seconds=self.gate.idle_seconds + PIPE_GRACE_SECONDS,
                                 announced_sha256=announced if _SHA256.fullmatch(announced or "") else None)
            self.task = asyncio.ensure_future(self.gate.run(self.call, self.pipe, fields))
            return self.pending.append
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=self.tmp_dir)
        self.spool, self.spool_path = os.fdopen(fd, "wb"), Path(name)
        return self._spool_write

    def _spool_write(self, chunk: bytes) -> None:
        self.spool_hash.update(chunk)
        self.spool.write(chunk)

    async def forward(self) -> None:
        """Move received file bytes into the pipe (dropped once the store call has ended)."""
        while self.pending:
            if not await self.pipe.feed(self.pending.pop(0), self.task):
                self.pending.clear()

    def raise_if_refused(self) -> None:
        if self.task is not None and self.task.done() and self.task.exception() is not None:
            self.task.result()

    def check_field_order(self, fields: dict[str, str]) -> None:
        """Text fields sent after the file would reach a store call that already started."""
        late = sorted(set(fields) - self.fields_at_start - {"sha256"}) if self.task is not None else []
        if late:
            raise VaultError("invalid_argument", f"form field {late[0]!r} came after the file: send the "
                             "text fields before the file part (only sha256 may follow it), or all after")

    async def abort(self, error: BaseException):
        """Stop the store call (it raises ``error`` instead of storing) and drop any temp file."""
        if self.task is not None:
            self.pending.clear()
            await self.pipe.feed(error, self.task)
            await asyncio.gather(self.task, return_exceptions=True)
        self._drop_spool()
        raise error

    async def complete(self, fields: dict[str, str]):
        claimed = fields.get("sha256")
        if self.task is not None:
            await self.forward()
            await self.pipe.finish(self.task, claimed)  # an early answer (a retried upload) never reads
            return await self.task
        try:
            self.spool.close()
            if claimed and claimed.lower() != self.spool_hash.hexdigest():
                raise VaultError("invalid_argument", f"the file was damaged in transit (sha256 "
                                 f"{self.spool_hash.hexdigest()} received, {claimed} sent)")
            missing = [name for name in self.required if not fields.get(name)]
            if missing:
                raise VaultError("invalid_argument", f"the upload needs a {missing[0]!r} form field")
            return await self.gate.run(self.call, self.spool_path, fields)
        finally:
            self._drop_spool()

    def _drop_spool(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool_path.unlink(missing_ok=True)


def boundary_of(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise VaultError("invalid_argument", "send the file as multipart/form-data with a boundary")
    return boundary
