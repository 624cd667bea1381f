"""The ContentStore on S3-compatible object storage (AWS S3, SeaweedFS, MinIO, Ceph RGW …).

Keys (from hashes only):  blobs/ab/cd/<sha256>   derived/ab/<sha256>/<kind>[@params]  (format in
Content-Type; one prefix per hash, so dropping a hash's artifacts lists only them). A key prefix
from the URL's path goes in front of both.

Durable before the row. Bytes are staged in a local temp file (hashed while copied; the analysis
needs a seekable file anyway) and ``commit`` uploads them under their FINAL key, verified against
OUR sha256, and returns only once the object store has acknowledged the whole object. A stream that
says its sha256 before its first byte (a server upload whose form sent it first: ``claimed_sha256``)
is not uploaded after staging but WHILE it arrives (s3_parts.py: the parts leave as they fill), so
receiving and storing overlap; ``commit`` then only completes it (the bytes hashed to the announced
sha256, or they were refused and the upload aborted).
- up to MULTIPART_BYTES: one PutObject carrying ``x-amz-checksum-sha256`` = our sha256; the server
  hashes what it received and refuses a mismatch (BadDigest), so a stored object IS its address.
- larger: a multipart upload, every part carrying its own CRC32 (the server refuses a damaged
  part; s3_parts.py says why not SHA-256), while we hash the same bytes in order;
  CompleteMultipartUpload is sent only when that hash equals the staged sha256, else the upload is
  aborted. S3's composite multipart checksum (a hash of
  the parts' hashes) is not a content address, so it is never used as one. Until Complete the key
  does not exist: an unfinished upload is the staging area, invisible to readers, and gc aborts the
  ones older than the temp grace.
A 200 from PutObject/Complete means the object store holds the bytes as durably as it promises (S3:
several devices; SeaweedFS: its replication setting). Only then does the caller write the row.

Client: boto3 (README "Content storage" says why): the standard AWS_* credential chain, per-part
checksums, ranged GETs and connection pooling; imported only when an s3:// store opens.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from server_api.content.blobs import BlobStore, StagedBlob
from server_api.content.hashes import check_sha256, is_sha256
from server_api.content.ranges import check_range
from server_api.content.s3_parts import MULTIPART_BYTES, PartUpload, stage_sending
from server_api.content.source import Progress, Source
from server_api.content.store import DERIVED_FORMATS, ContentStore, GcReport, StagedContent
from server_api.core.errors import VaultError

CHUNK = 1 << 20
_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_FORMATS = {v: k for k, v in _CONTENT_TYPES.items()}


def _announced_sha256(source: Source) -> str | None:
    """The sha256 a stream says its bytes have before it is read (None: a path, or not said)."""
    if isinstance(source, (str, os.PathLike)):
        return None
    claimed = getattr(source, "claimed_sha256", None)
    return claimed.lower() if isinstance(claimed, str) and is_sha256(claimed.lower()) else None


def _derived_hash(key: str) -> str:
    parts = key.rsplit("/", 2)
    return parts[-2] if len(parts) == 3 else ""


class _StagedObject(StagedContent):
    def __init__(self, store: S3ContentStore, blob: StagedBlob):
        self._store, self._blob = store, blob
        self.sha256, self.size, self.temp_path = blob.sha256, blob.size, blob.temp_path

    def commit(self) -> None:
        try:
            if self._store.stat(self.sha256) != self.size:  # identical bytes are stored once
                self._store._upload(self.temp_path, self.sha256, self.size)
        finally:
            self._blob.discard()  # the local copy has done its work either way

    def discard(self) -> None:
        self._blob.discard()


class _SentObject(StagedContent):
    """Staged while its parts were already sent (``stage_sending``): commit completes the upload."""

    def __init__(self, blob: StagedBlob, parts: PartUpload):
        self._blob, self._parts = blob, parts
        self.sha256, self.size, self.temp_path = blob.sha256, blob.size, blob.temp_path

    def commit(self) -> None:
        try:
            with s3_errors(f"storing blob {self.sha256}"):
                self._parts.complete(self.sha256)
        except BaseException:
            self._parts.abort()
            raise
        finally:
            self._blob.discard()

    def discard(self) -> None:
        self._parts.abort()  # nothing when completed
        self._blob.discard()


class S3ContentStore(ContentStore):
    def __init__(self, client, bucket: str, *, prefix: str = "", scratch: Path, url: str):
        self._client = client
        self.bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        # Local staging (copy + hash + size limit, as on a folder); the copy is read by the analysis
        # and deleted, so it is left in the page cache rather than pushed to disk.
        self._scratch = BlobStore(scratch, writeback=False)
        self.url = url

    # ---- keys -----------------------------------------------------------------------------------
    def _blob_key(self, sha256: str) -> str:
        check_sha256(sha256)
        return f"{self._prefix}blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _derived_key(self, sha256: str, kind: str, params: str) -> str:
        check_sha256(sha256)
        if not kind.isidentifier() or not (params == "" or params.replace("-", "").isalnum()):
            raise VaultError("invalid_argument", f"derived artifact key {kind!r}/{params!r} is not "
                             "a plain name")
        return f"{self._prefix}{self._derived_prefix(sha256)}{kind}{'@' + params if params else ''}"

    def _derived_prefix(self, sha256: str) -> str:
        return f"derived/{check_sha256(sha256)[:2]}/{sha256}/"  # _list adds the store's prefix

    @property
    def upload_dir(self) -> Path:
        return self._scratch.tmp_dir

    # ---- writing --------------------------------------------------------------------------------
    def stage(self, source: Source, *, progress: Progress | None = None,
              max_bytes: int | None = None) -> StagedContent:
        announced = _announced_sha256(source)
        if announced is None or self.stat(announced) is not None:  # stored already: nothing to send
            return _StagedObject(self, self._scratch.stage(source, progress=progress, max_bytes=max_bytes))
        parts = PartUpload(self._client, self.bucket, self._blob_key(announced))
        with s3_errors(f"storing blob {announced}"):
            blob = stage_sending(self._scratch, parts, source, announced,  # type: ignore[arg-type]
                                 progress=progress, max_bytes=max_bytes)
        return _SentObject(blob, parts)

    def _upload(self, path: Path, sha256: str, size: int) -> None:
        """The staged temp file into the store under its final key (a path source, or bytes whose
        sha256 was not said before they arrived)."""
        key = self._blob_key(sha256)
        parts = PartUpload(self._client, self.bucket, key)
        with s3_errors(f"storing blob {sha256}"):
            try:
                whole = hashlib.sha256()
                with open(path, "rb") as f:
                    while part := f.read(MULTIPART_BYTES):
                        whole.update(part)  # the same bytes the parts carry, in order
                        parts.write(part)
                if whole.hexdigest() != sha256:
                    raise VaultError("internal", f"blob {sha256} changed while it was uploaded "
                                     f"(sent bytes hash to {whole.hexdigest()}): not stored")
                parts.complete(sha256)
            except BaseException:
                parts.abort()
                raise

    def delete(self, sha256: str) -> None:
        with s3_errors(f"deleting blob {sha256}"):
            self._client.delete_object(Bucket=self.bucket, Key=self._blob_key(sha256))
        self.delete_derived(sha256)

    # ---- reading --------------------------------------------------------------------------------
    def stat(self, sha256: str) -> int | None:
        key = self._blob_key(sha256)
        with s3_errors(f"looking up blob {sha256}", missing=True):
            return self._client.head_object(Bucket=self.bucket, Key=key)["ContentLength"]
        return None

    def open(self, sha256: str) -> BinaryIO:
        key = self._blob_key(sha256)
        with s3_errors(f"reading blob {sha256}", missing=True):
            answer = self._client.get_object(Bucket=self.bucket, Key=key)
            return _Body(answer["Body"], answer["ContentLength"])  # type: ignore[return-value]
        raise VaultError("not_found", f"blob {sha256} is missing from the vault")

    def open_range(self, sha256: str, start: int, length: int) -> BinaryIO:
        size = self.stat(sha256)
        if size is None:
            raise VaultError("not_found", f"blob {sha256} is missing from the vault")
        check_range(sha256, start, length, size)
        if length == 0 or size == 0:
            return io.BytesIO(b"")
        end = min(size, start + length) - 1
        with s3_errors(f"reading blob {sha256}", missing=True):
            answer = self._client.get_object(Bucket=self.bucket, Key=self._blob_key(sha256),
                                             Range=f"bytes={start}-{end}")
            return _Body(answer["Body"], answer["ContentLength"])  # type: ignore[return-value]
        raise VaultError("not_found", f"blob {sha256} is missing from the vault")

    @contextmanager
    def local_file(self, sha256: str) -> Iterator[Path]:
        temp = self._scratch.tmp_dir / f"{sha256}.{os.getpid()}.{time.monotonic_ns()}.read"
        try:
            with self.open(sha256) as body, open(temp, "xb") as out:
                shutil.copyfileobj(body, out, CHUNK)
            yield temp
        finally:
            temp.unlink(missing_ok=True)

    def verify(self, sha256: str) -> bool:
        try:
            with self.open(sha256) as body:
                digest = hashlib.sha256()
                while chunk := body.read(CHUNK):
                    digest.update(chunk)
        except VaultError as exc:
            if exc.code == "not_found":
                return False
            raise
        return digest.hexdigest() == sha256

    def _list(self, prefix: str) -> Iterator[dict]:
        pages = self._client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                        Prefix=self._prefix + prefix)
        with s3_errors(f"listing {prefix}"):
            for page in pages:
                yield from page.get("Contents", ())

    def iter_hashes(self) -> Iterator[str]:
        for entry in self._list("blobs/"):
            name = entry["Key"].rsplit("/", 1)[-1]
            if is_sha256(name):
                yield name

    # ---- derived artifacts ----------------------------------------------------------------------
    def get_derived(self, sha256: str, kind: str, params: str = "") -> tuple[bytes, str] | None:
        key = self._derived_key(sha256, kind, params)
        with s3_errors(f"reading the {kind} of {sha256}", missing=True):
            answer = self._client.get_object(Bucket=self.bucket, Key=key)
            with answer["Body"] as body:
                return body.read(), _FORMATS.get(answer.get("ContentType", ""), "JPEG")
        return None

    def put_derived(self, sha256: str, kind: str, data: bytes, fmt: str, params: str = "") -> None:
        if fmt not in DERIVED_FORMATS:
            raise VaultError("invalid_argument", f"derived format {fmt!r} is not one of "
                             f"{', '.join(DERIVED_FORMATS)}")
        key = self._derived_key(sha256, kind, params)
        with s3_errors(f"storing the {kind} of {sha256}"):
            self._client.put_object(Bucket=self.bucket, Key=key, Body=data,
                                    ContentType=_CONTENT_TYPES[fmt])

    def delete_derived(self, sha256: str) -> None:
        for entry in list(self._list(self._derived_prefix(sha256))):
            with s3_errors(f"deleting {entry['Key']}"):
                self._client.delete_object(Bucket=self.bucket, Key=entry["Key"])

    def iter_derived_hashes(self) -> Iterator[str]:
        seen: set[str] = set()
        for entry in self._list("derived/"):
            name = _derived_hash(entry["Key"])
            if is_sha256(name) and name not in seen:
                seen.add(name)
                yield name

    # ---- cleaning -------------------------------------------------------------------------------
    def gc(self, referenced: Iterable[str], *, temp_grace_seconds: float = 3600,
           blob_grace_seconds: float = 0) -> GcReport:
        keep = set(referenced)
        now = datetime.now(UTC)
        removed = freed = 0
        for entry in list(self._list("blobs/")):
            name = entry["Key"].rsplit("/", 1)[-1]
            if name in keep or (now - entry["LastModified"]).total_seconds() < blob_grace_seconds:
                continue
            with s3_errors(f"deleting {entry['Key']}"):
                self._client.delete_object(Bucket=self.bucket, Key=entry["Key"])
            removed += 1
            freed += entry["Size"]
        stored = set(self.iter_hashes())
        derived = [e for e in self._list("derived/") if _derived_hash(e["Key"]) not in stored]
        for entry in derived:
            with s3_errors(f"deleting {entry['Key']}"):
                self._client.delete_object(Bucket=self.bucket, Key=entry["Key"])
        aborted = self._abort_stale_uploads(now, temp_grace_seconds)
        local = self._scratch.gc((), temp_grace_seconds=temp_grace_seconds)
        return GcReport(removed_blobs=removed, removed_temp=aborted + local.removed_temp,
                        freed_bytes=freed + local.freed_bytes)

    def _abort_stale_uploads(self, now: datetime, grace_seconds: float) -> int:
        aborted = 0
        with s3_errors("listing unfinished uploads"):
            pages = self._client.get_paginator("list_multipart_uploads").paginate(
                Bucket=self.bucket, Prefix=self._prefix + "blobs/")
            for page in pages:
                for upload in page.get("Uploads", ()):
                    if (now - upload["Initiated"]).total_seconds() >= grace_seconds:
                        self._client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"],
                                                            UploadId=upload["UploadId"])
                        aborted += 1
        return aborted

    def close(self) -> None:
        self._client.close()

    def __repr__(self) -> str:
        return f"S3ContentStore({self.url})"


class _Body(io.RawIOBase):
    """A GET's streamed body as a binary file: read, readinto, close (the connection goes back)."""

    def __init__(self, body, size: int):
        self._body = body
        self.size = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, n: int = -1) -> bytes:
        return self._body.read() if n is None or n < 0 else self._body.read(n)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class s3_errors:
    """Turn the client's errors into VaultErrors naming what was being done. With ``missing``, a
    404 is swallowed and the ``as`` value (a list) becomes truthy, so the caller can answer None."""

    def __init__(self, doing: str, *, missing: bool = False):
        self.doing, self.missing = doing, missing
        self.found_missing: list[bool] = []

    def __enter__(self) -> list[bool]:
        return self.found_missing

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or isinstance(exc, VaultError):
            return False
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if self.missing and (status == 404 or code in ("404", "NoSuchKey", "NotFound")):
                self.found_missing.append(True)
                return True
            if code in ("BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"):
                raise VaultError("internal", f"{self.doing}: the object store received damaged bytes "
                                 f"({code}); nothing was stored") from None
            if code == "NoSuchBucket":
                raise VaultError("unavailable", f"{self.doing}: the bucket does not exist") from None
            raise VaultError("unavailable", f"{self.doing}: the object store answered {code or status}: "
                             f"{exc}") from None
        if isinstance(exc, BotoCoreError):
            raise VaultError("unavailable", f"{self.doing}: the object store cannot be reached: "
                             f"{exc}") from None
        return False
