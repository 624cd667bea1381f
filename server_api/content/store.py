"""ContentStore: the vault's bytes, addressed by sha256, wherever they live (MLflow's artifact repository).

Two implementations pass one contract suite (tests/engine/test_content_store.py): the data folder
(content/filesystem.py) and S3-compatible object storage (content/s3.py); ``open_content_store``
(content/opening.py) picks one from VAULT_CONTENT_URL. Nothing above content/ builds a path to a
blob or a thumbnail: it asks this interface, and takes a version's ETag and size from its row.

Writing is two steps so the database never names bytes that are not durable:
``stage`` copies the source into a local temp file while hashing it (the analysis reads that file),
``StagedContent.commit`` makes the bytes durable under their address; only then does the caller
write the row. Derived artifacts (thumbnails today; previews, tiles, palettes later) are keyed by
(sha256, kind, params): a cache that can always be made again from the bytes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from server_api.content.source import Progress, Source
from server_api.core.errors import VaultError

THUMBNAIL = "thumbnail"  # the one derived kind today; params "" (256 px) or "512" (a larger preview)
DERIVED_FORMATS = ("JPEG", "PNG", "WEBP")


@dataclass(frozen=True)
class GcReport:
    removed_blobs: int
    removed_temp: int
    freed_bytes: int


class StagedContent(ABC):
    """Bytes copied into a local temp file and hashed, not yet in the store.

    A context manager: leaving the block without ``commit()`` discards the temp file, so a rejected
    image or a failed insert never leaves litter behind.
    """

    sha256: str
    size: int
    temp_path: Path  # the local copy the analysis opens; gone after commit or discard

    @abstractmethod
    def commit(self) -> None:
        """Make the bytes durable under their sha256 (verified against it); safe when already stored."""

    @abstractmethod
    def discard(self) -> None: ...

    def __enter__(self) -> StagedContent:
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.sha256[:12]}…, {self.size} bytes)"


class ContentStore(ABC):
    url: str  # file:///… or s3://bucket?endpoint=…, for logs and `vault-server config`

    @property
    @abstractmethod
    def upload_dir(self) -> Path:
        """A local folder for uploads in flight (the HTTP upload pipe writes its temp files here)."""

    # ---- writing --------------------------------------------------------------------------------
    @abstractmethod
    def stage(self, source: Source, *, progress: Progress | None = None,
              max_bytes: int | None = None) -> StagedContent:
        """Copy ``source`` (a path or a readable binary stream, read but never closed) into a local
        temp file while hashing it; "too_large" past ``max_bytes``; a stream's ``claimed_sha256``
        that does not match is "invalid_argument"."""

    def commit_many(self, staged: list[StagedContent]) -> list[Exception | None]:
        """Commit a batch (an import's small files): per item None, or what went wrong with it alone.
        A store that can share one flush among them overrides this (the folder: one syncfs)."""
        outcomes: list[Exception | None] = []
        for item in staged:
            try:
                item.commit()
                outcomes.append(None)
            except (OSError, VaultError) as exc:
                outcomes.append(exc)
        return outcomes

    @abstractmethod
    def delete(self, sha256: str) -> None:
        """Remove the bytes and every artifact derived from them (missing: nothing happens)."""

    # ---- reading --------------------------------------------------------------------------------
    @abstractmethod
    def stat(self, sha256: str) -> int | None:
        """The stored size in bytes, or None when these bytes are not stored."""

    def exists(self, sha256: str) -> bool:
        return self.stat(sha256) is not None

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """The bytes, streamed (the caller closes it); "not_found" when missing."""

    @abstractmethod
    def open_range(self, sha256: str, start: int, length: int) -> BinaryIO:
        """``length`` bytes from ``start`` (fewer at the end); "invalid_argument" for a range that
        starts past the end or is negative, "not_found" when missing."""

    @abstractmethod
    def local_file(self, sha256: str) -> AbstractContextManager[Path]:
        """A path on this machine holding the bytes for the block (decoders want a seekable file):
        the blob itself on a file system, a temp copy otherwise."""

    @abstractmethod
    def verify(self, sha256: str) -> bool:
        """Re-hash the stored bytes: False when missing or they no longer hash to their name."""

    @abstractmethod
    def iter_hashes(self) -> Iterator[str]:
        """Every stored sha256, each once, in sorted order."""

    # ---- derived artifacts ----------------------------------------------------------------------
    @abstractmethod
    def get_derived(self, sha256: str, kind: str, params: str = "") -> tuple[bytes, str] | None:
        """(data, format) of the artifact, or None when it has not been made."""

    def has_derived(self, sha256: str, kind: str, params: str = "") -> bool:
        return self.get_derived(sha256, kind, params) is not None

    @abstractmethod
    def put_derived(self, sha256: str, kind: str, data: bytes, fmt: str, params: str = "") -> None:
        """Store an artifact (replacing one of any format with the same key); ``fmt`` is one of
        DERIVED_FORMATS. Not fsynced: it can always be made again."""

    @abstractmethod
    def delete_derived(self, sha256: str) -> None:
        """Every artifact made from these bytes, of every kind."""

    @abstractmethod
    def iter_derived_hashes(self) -> Iterator[str]:
        """Each sha256 that has at least one artifact, once."""

    # ---- cleaning -------------------------------------------------------------------------------
    @abstractmethod
    def gc(self, referenced: Iterable[str], *, temp_grace_seconds: float = 3600,
           blob_grace_seconds: float = 0) -> GcReport:
        """Remove bytes (and their artifacts) not in ``referenced``, spared when written within
        ``blob_grace_seconds`` (an import commits its bytes a moment before its row), and temp
        files or unfinished uploads older than ``temp_grace_seconds``."""

    def close(self) -> None:
        """Release connections (nothing to do for a folder)."""


class AddressedStream:
    """An open stream of stored bytes (or of a range of them) carrying the address and size its
    database row gives, so a download's ETag, Content-Length and Content-Range never depend on where
    or how the bytes are kept.
    Everything else (read, readinto, name, seek …) is the wrapped stream's."""

    def __init__(self, stream: BinaryIO, sha256: str, size: int, start: int = 0,
                 length: int | None = None):
        self._stream = stream
        self.sha256 = sha256
        self.size = size  # of the whole bytes, even when the stream holds a range of them
        self.start = start  # where the stream's first byte sits in the whole
        self.length = size - start if length is None else length  # how many bytes the stream holds

    def __getattr__(self, name: str):
        return getattr(self._stream, name)

    def __iter__(self):
        return iter(self._stream)

    def __enter__(self) -> AddressedStream:
        return self

    def __exit__(self, *exc_info) -> None:
        self._stream.close()
