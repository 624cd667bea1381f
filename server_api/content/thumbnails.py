"""Encoded thumbnails on disk, keyed by the source bytes' sha256: thumbs/ab/<sha256>.jpg (or .png/.webp)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from server_api.content.durable import atomic_writer, remove_stale_temps
from server_api.content.hashes import check_sha256, is_sha256
from server_api.core.errors import VaultError

THUMB_EXTENSIONS: dict[str, str] = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ThumbnailStore:
    """Identical bytes never thumbnail twice: the key is the hash of the source, not of the thumbnail.

    Thumbnails can always be made again from their blob, so they are written atomically (temp +
    rename, never half a file) but without fsync: that keeps them off the import's hot path.
    """

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.thumb_dir = self.root / "thumbs"
        self.thumb_dir.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str, fmt: str) -> Path:
        check_sha256(sha256)
        return self.thumb_dir / sha256[:2] / f"{sha256}.{THUMB_EXTENSIONS[fmt]}"

    def get(self, sha256: str) -> tuple[bytes, str] | None:
        for fmt in THUMB_EXTENSIONS:
            try:
                return self._path(sha256, fmt).read_bytes(), fmt
            except FileNotFoundError:
                continue
        return None

    def has(self, sha256: str) -> bool:
        return any(self._path(sha256, fmt).is_file() for fmt in THUMB_EXTENSIONS)

    def put(self, sha256: str, data: bytes, fmt: str) -> None:
        if fmt not in THUMB_EXTENSIONS:
            raise VaultError("invalid_argument", f"thumbnail format {fmt!r} is not one of JPEG, PNG, WEBP")
        final = self._path(sha256, fmt)
        final.parent.mkdir(parents=True, exist_ok=True)
        with atomic_writer(final, durable=False) as out:
            out.write(data)
        for other in THUMB_EXTENSIONS:  # one thumbnail per hash, whatever format it had before
            if other != fmt:
                self._path(sha256, other).unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        for fmt in THUMB_EXTENSIONS:
            self._path(sha256, fmt).unlink(missing_ok=True)

    def remove_stale_temps(self, cutoff: float) -> int:
        """Half-written thumbnails a crash left behind, older than ``cutoff``: removed, counted."""
        return sum(remove_stale_temps(shard, cutoff) for shard in self.thumb_dir.iterdir() if shard.is_dir())

    def iter_hashes(self) -> Iterator[str]:
        for shard in sorted(self.thumb_dir.iterdir()):
            if shard.is_dir():
                for entry in sorted(shard.iterdir()):
                    stem = entry.name.split(".", 1)[0]
                    if is_sha256(stem):
                        yield stem
