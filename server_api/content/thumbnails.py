"""Encoded thumbnails on disk, keyed by the source bytes' sha256: thumbs/ab/<sha256>.jpg (or .png/.webp)
for the standard size, thumbs/ab/<sha256>@512.jpg for a larger preview (made on first request)."""

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

    def _path(self, sha256: str, fmt: str, size: str = "") -> Path:
        check_sha256(sha256)
        return self.thumb_dir / sha256[:2] / f"{sha256}{size}.{THUMB_EXTENSIONS[fmt]}"

    def get(self, sha256: str, side: int | None = None) -> tuple[bytes, str] | None:
        """The standard thumbnail, or (``side``) the preview of that size."""
        for fmt in THUMB_EXTENSIONS:
            try:
                return self._path(sha256, fmt, _size(side)).read_bytes(), fmt
            except FileNotFoundError:
                continue
        return None

    def has(self, sha256: str, side: int | None = None) -> bool:
        return any(self._path(sha256, fmt, _size(side)).is_file() for fmt in THUMB_EXTENSIONS)

    def put(self, sha256: str, data: bytes, fmt: str, side: int | None = None) -> None:
        if fmt not in THUMB_EXTENSIONS:
            raise VaultError("invalid_argument", f"thumbnail format {fmt!r} is not one of JPEG, PNG, WEBP")
        final = self._path(sha256, fmt, _size(side))
        final.parent.mkdir(parents=True, exist_ok=True)
        with atomic_writer(final, durable=False) as out:
            out.write(data)
        for other in THUMB_EXTENSIONS:  # one thumbnail per hash and size, whatever format it had before
            if other != fmt:
                self._path(sha256, other, _size(side)).unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        """Every size made of these bytes."""
        check_sha256(sha256)
        shard = self.thumb_dir / sha256[:2]
        for fmt in THUMB_EXTENSIONS:
            self._path(sha256, fmt).unlink(missing_ok=True)
        if shard.is_dir():
            for preview in shard.glob(f"{sha256}@*"):
                preview.unlink(missing_ok=True)

    def remove_stale_temps(self, cutoff: float) -> int:
        """Half-written thumbnails a crash left behind, older than ``cutoff``: removed, counted."""
        return sum(remove_stale_temps(shard, cutoff) for shard in self.thumb_dir.iterdir() if shard.is_dir())

    def iter_hashes(self) -> Iterator[str]:
        """Each hash that has a thumbnail or a preview, once."""
        for shard in sorted(self.thumb_dir.iterdir()):
            seen: set[str] = set()
            if shard.is_dir():
                for entry in sorted(shard.iterdir()):
                    stem = entry.name.split(".", 1)[0].split("@", 1)[0]  # previews share the hash
                    if is_sha256(stem) and stem not in seen:
                        seen.add(stem)
                        yield stem


def _size(side: int | None) -> str:
    if side is None:
        return ""
    if isinstance(side, bool) or not isinstance(side, int) or side <= 0:
        raise VaultError("invalid_argument", f"a preview size is a positive number of pixels, not {side!r}")
    return f"@{side}"
