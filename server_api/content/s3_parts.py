"""S3 writes in parts: one object as a multipart upload whose parts leave while the bytes still
arrive (``PartUpload``), and staging that feeds it as an upload comes in (``stage_sending``).

``PartUpload.write`` takes the bytes in order, in pieces of any size; every MULTIPART_BYTES make a
part, sent on a small thread pool. Each part carries its CRC32, so the server refuses a part damaged
on the way: a part checksum only guards the trip (the content address is OUR sha256 over the whole,
checked before ``complete``), and CRC32 runs at ~1.3 GB/s here against SHA-256's ~0.3-0.5 GB/s, on
2 cores the receiving, hashing and sending share. Memory stays bounded: at most PARTS_IN_FLIGHT
parts wait or travel at once, and ``write`` waits for the oldest when that many are out (a failed
part is raised there, early).
The object exists only once ``complete`` is called (the caller has checked the whole bytes' sha256
first: S3's composite multipart checksum is no content address); until then it is an unfinished
upload no reader sees, and ``abort`` drops it. Bytes that never filled one part are sent by
``complete`` as one PutObject carrying the whole sha256, as small blobs always were.
Errors are the client's own (botocore); the caller turns them into VaultErrors (s3.s3_errors).
"""

from __future__ import annotations

import base64
import io
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

from server_api.content.blobs import BlobStore, StagedBlob
from server_api.content.source import Progress
from server_api.core.errors import VaultError

MULTIPART_BYTES = 8 << 20  # parts of 8 MiB (as boto3 sends them): a 1 GiB texture is 128 parts
PARTS_IN_FLIGHT = 8  # parts uploaded at once (each holds its 8 MiB in memory until sent)


def b64(hex_digest: str) -> str:
    """A hex sha256 as the base64 that x-amz-checksum-sha256 wants."""
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


class PartUpload:
    def __init__(self, client, bucket: str, key: str):
        self._client, self.bucket, self.key = client, bucket, key
        self._buffer = bytearray()
        self._upload_id: str | None = None  # created with the first full part
        self._pool: ThreadPoolExecutor | None = None
        self._parts: list[Future] = []
        self._finished = False

    @property
    def started(self) -> bool:
        """True once a part has left (the bytes were more than one part)."""
        return self._upload_id is not None

    def write(self, data) -> None:
        if not self._buffer and len(data) == MULTIPART_BYTES and isinstance(data, bytes):
            self._send(data)  # a whole part as it came: no copy through the buffer
            return
        self._buffer += data
        while len(self._buffer) >= MULTIPART_BYTES:
            if len(self._buffer) == MULTIPART_BYTES:  # the usual case (1 MiB reads): hand it over whole
                part, self._buffer = self._buffer, bytearray()
            else:
                part = self._buffer[:MULTIPART_BYTES]
                del self._buffer[:MULTIPART_BYTES]
            self._send(part)

    def _send(self, part: bytes | bytearray) -> None:
        if self._upload_id is None:
            self._upload_id = self._client.create_multipart_upload(
                Bucket=self.bucket, Key=self.key, ChecksumAlgorithm="CRC32")["UploadId"]
            self._pool = ThreadPoolExecutor(PARTS_IN_FLIGHT, thread_name_prefix="s3-part")
        waiting = [future for future in self._parts if not future.done()]
        if len(waiting) >= PARTS_IN_FLIGHT:
            waiting[0].result()  # bounded memory; a failed part stops the upload here
        for future in self._parts:
            if future.done() and future.exception() is not None:
                future.result()
        self._parts.append(self._pool.submit(self._upload_part, len(self._parts) + 1, part))

    def _upload_part(self, number: int, data: bytes | bytearray) -> dict:
        digest = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode("ascii")
        answer = self._client.upload_part(Bucket=self.bucket, Key=self.key, UploadId=self._upload_id,
                                          PartNumber=number, Body=data, ChecksumCRC32=digest)
        return {"PartNumber": number, "ETag": answer["ETag"], "ChecksumCRC32": digest}

    def complete(self, sha256: str) -> None:
        """Make the object exist, holding every byte written (whose sha256 the caller checked)."""
        if self._upload_id is None:
            self._client.put_object(Bucket=self.bucket, Key=self.key, Body=bytes(self._buffer),
                                    ContentLength=len(self._buffer), ChecksumSHA256=b64(sha256))
            self._finish()
            return
        if self._buffer:
            self._send(bytes(self._buffer))
            self._buffer.clear()
        parts = [future.result() for future in self._parts]
        self._client.complete_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=self._upload_id,
                                               MultipartUpload={"Parts": parts})
        self._finish()

    def abort(self) -> None:
        """Drop what was sent (nothing becomes visible); quiet, since the first error is the one to
        report, and gc aborts any upload left unfinished later."""
        if self._finished:
            return
        self._buffer.clear()
        for future in self._parts:
            future.cancel()
        for future in self._parts:  # a part still travelling would outlive an abort sent now
            try:
                future.result()
            except Exception:  # noqa: BLE001, S110 - its upload is being dropped anyway
                pass
        if self._upload_id is not None:
            try:
                self._client.abort_multipart_upload(Bucket=self.bucket, Key=self.key,
                                                    UploadId=self._upload_id)
            except Exception:  # noqa: BLE001, S110 - gc aborts stale uploads later
                pass
        self._finish()

    def _finish(self) -> None:
        self._finished = True
        if self._pool is not None:
            self._pool.shutdown(wait=False)


class Tee(io.RawIOBase):
    """Reads ``source`` and hands every byte read to ``sink`` too, in order. The stream's
    ``claimed_sha256`` shows through, as it is when asked (a pipe learns it at the body's end)."""

    def __init__(self, source: BinaryIO, sink: Callable[[memoryview], None]):
        super().__init__()
        self._source, self._sink = source, sink

    @property
    def claimed_sha256(self) -> str | None:
        return getattr(self._source, "claimed_sha256", None)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        readinto = getattr(self._source, "readinto", None)
        if readinto is not None:
            n = readinto(buffer) or 0
        else:
            data = self._source.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        if n:
            self._sink(memoryview(buffer)[:n])
        return n


def stage_sending(scratch: BlobStore, parts: PartUpload, source: BinaryIO, announced: str, *,
                  progress: Progress | None, max_bytes: int | None) -> StagedBlob:
    """Stage ``source`` into ``scratch`` (the analysis reads that copy) while its parts already go
    to ``parts``: when the last byte has arrived, all but the last part are in the object store.
    Bytes that do not hash to ``announced`` (the key ``parts`` writes): aborted, "invalid_argument"."""
    try:
        blob = scratch.stage(Tee(source, parts.write), progress=progress, max_bytes=max_bytes)
    except BaseException:
        parts.abort()  # a disconnect, a stall, too large, damaged: nothing becomes visible
        raise
    if blob.sha256 != announced:
        parts.abort()
        blob.discard()
        raise VaultError("invalid_argument", f"the file was damaged in transit (sha256 {blob.sha256} "
                         f"received, {announced} announced before it)")
    return blob
