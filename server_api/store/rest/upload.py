"""Streamed multipart uploads for RestVaultStore: never the whole file in memory, with progress,
an end-to-end sha256, and safe retries.

The body is built on the fly: the text fields, then the file in 1 MiB chunks (hashed and reported as
they go), then a trailing ``sha256`` field, so the server can tell a damaged transfer from a good one
(an import says the sha256 before the file, which already does that: then it is not hashed again).
Each upload carries an ``Idempotency-Key``; a retry after a dropped connection sends the same key, so
the server returns what the first attempt made instead of making a second version.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from server_api.content.source import Progress, Source
from server_api.core.errors import VaultError
from server_api.store.import_items import ImportItem
from server_api.store.rest.transport import Transport

CHUNK = 1 << 20
ATTEMPTS = 4
UPLOAD_READ_TIMEOUT = 600.0  # the server hashes, stores and thumbnails a big file before it answers
# Connection lost, or 502/503/504 after urllib3 gave up; or the server's upload slots were full (429):
# the idempotency key makes every retry safe.
RETRY_STATUSES = ("unavailable", "throttled")


class MultipartBody:
    """An iterable request body; ``len`` is known when the file size is, so no chunked encoding."""

    def __init__(self, fields: dict[str, str], reader: BinaryIO, filename: str, size: int | None,
                 progress: Progress | None):
        self.boundary = secrets.token_hex(16)
        self.reader, self.size, self.progress = reader, size, progress
        self.announced = fields.get("sha256")
        head = b"".join(self._field(k, v) for k, v in fields.items())
        disposition = f'form-data; name="file"; filename="{_quote(filename)}"'
        head += (f"--{self.boundary}\r\nContent-Disposition: {disposition}\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n").encode()
        self.head = head
        self.tail_length = len(self._tail("0" * 64))
        if size is not None:
            self.len = len(head) + size + self.tail_length  # requests reads ``len`` for Content-Length

    def _field(self, name: str, value: str) -> bytes:
        return (f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n").encode()

    def _tail(self, sha256: str) -> bytes:
        return b"\r\n" + self._field("sha256", sha256) + f"--{self.boundary}--\r\n".encode()

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        # A sha256 said before the file is already the end-to-end check (the server refuses bytes
        # that do not hash to it): hashing them again here would only cost CPU.
        hasher, done = (None if self.announced else hashlib.sha256()), 0
        while True:
            want = CHUNK if self.size is None else min(CHUNK, self.size - done)
            chunk = self.reader.read(want) if want > 0 else b""
            if not chunk:
                break
            if hasher is not None:
                hasher.update(chunk)
            done += len(chunk)
            if self.progress is not None:
                self.progress(done, self.size)
            yield chunk
        if self.size is not None and done != self.size:
            raise VaultError("invalid_argument", "the file changed size while it was being uploaded")
        yield self._tail(self.announced or hasher.hexdigest())


def upload(transport: Transport, path: str, source: Source, fields: dict[str, str], *,
           progress: Progress | None, upload_key: str | None) -> Any:
    """POST ``source`` to ``path``; the decoded JSON answer. Retries reuse the idempotency key."""
    key = upload_key or uuid.uuid4().hex
    for attempt in range(1, ATTEMPTS + 1):
        reader, owned, start = _open(source)
        try:
            body = MultipartBody(fields, reader, _filename(source), _remaining(reader, start), progress)
            return transport.call(
                "POST", path, data=body,
                headers={"Content-Type": body.content_type, "Idempotency-Key": key},
                timeout=(transport.timeout[0], UPLOAD_READ_TIMEOUT),
            )
        except VaultError as exc:
            if exc.code not in RETRY_STATUSES or attempt == ATTEMPTS or not _rewindable(reader, owned):
                raise
            _pause(attempt)
            if not owned:
                reader.seek(start)
        finally:
            if owned:
                reader.close()
    raise AssertionError("unreachable")


def upload_batch(transport: Transport, path: str, items: list[ImportItem]) -> Any:
    """POST a batch of small files (an ``item`` part, then its ``file`` part, for each) in one request;
    the decoded JSON answer. Built in memory (a batch is bounded: store/import_items.py), so a retry
    sends the same bytes; each file's own idempotency key makes the retry safe."""
    boundary = secrets.token_hex(16)
    parts = []
    for item in items:
        described = {"original_path": item.original_path, "sha256": item.sha256,
                     **({"name": item.name} if item.name else {}),
                     **({"key": item.upload_key} if item.upload_key else {})}
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="item"\r\n'
                     f"Content-Type: application/json\r\n\r\n{json.dumps(described)}\r\n".encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{_quote(Path(item.original_path).name)}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode())
        parts.append(item.data)
        parts.append(b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    body = b"".join(parts)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return transport.call("POST", path, data=body,
                                  headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                                  timeout=(transport.timeout[0], UPLOAD_READ_TIMEOUT))
        except VaultError as exc:
            if exc.code not in RETRY_STATUSES or attempt == ATTEMPTS:
                raise
            _pause(attempt)
    raise AssertionError("unreachable")


def _pause(attempt: int) -> None:
    """Before a retry: growing, jittered, at most 4 s."""
    time.sleep(min(4.0, 0.25 * 2 ** (attempt - 1)) * (0.5 + random.random()))


def _open(source: Source) -> tuple[BinaryIO, bool, int]:
    if isinstance(source, str | os.PathLike):
        try:
            return open(source, "rb"), True, 0  # noqa: SIM115 (closed by upload())
        except FileNotFoundError:
            raise VaultError("not_found", f"{os.fspath(source)}: no such file") from None
        except IsADirectoryError:
            raise VaultError("invalid_argument", f"{os.fspath(source)}: is a folder, not a file") from None
        except PermissionError:
            raise VaultError("permission_denied", f"{os.fspath(source)}: cannot read the file") from None
    start = source.tell() if _seekable(source) else 0
    return source, False, start


def _remaining(reader: BinaryIO, start: int) -> int | None:
    try:
        return os.fstat(reader.fileno()).st_size - start
    except (AttributeError, OSError, ValueError):
        pass
    if _seekable(reader):
        end = reader.seek(0, os.SEEK_END)
        reader.seek(start)
        return end - start
    return None


def _seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError):
        return False


def _rewindable(reader: BinaryIO, owned: bool) -> bool:
    return owned or _seekable(reader)


def _filename(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "upload")).name


def _quote(name: str) -> str:
    return name.replace("\\", "_").replace('"', "_").replace("\r", "_").replace("\n", "_")
