"""A batch import: many small files in one request to a server (POST .../imports/batch), each with
what the client says of it. The limits live here, the one place the client packing batches and the
server refusing oversized ones both read."""

from __future__ import annotations

import io
from dataclasses import dataclass

MAX_BATCH_FILES = 64  # files per batch request: one upload slot and one transaction carry them
MAX_BATCH_BYTES = 16 << 20  # a batch is held in memory while it is decided: bounded per upload slot
MAX_BATCHED_FILE = 4 << 20  # a bigger file goes alone, streamed (POST .../imports)


@dataclass(frozen=True)
class ImportItem:
    """One file of a batch: its bytes, its original path, the sha256 the client computed (checked
    against the bytes before anything is kept), an optional display name and its idempotency key."""

    original_path: str
    sha256: str
    data: bytes
    name: str | None = None
    upload_key: str | None = None

    def stream(self) -> ClaimedBytes:
        return ClaimedBytes(self.data, self.sha256)


class ClaimedBytes(io.BytesIO):
    """Bytes carrying the digest their sender claims: the content store checks it as it hashes."""

    def __init__(self, data: bytes, claimed_sha256: str):
        super().__init__(data)
        self.claimed_sha256 = claimed_sha256
