"""fsck (is every version's blob there and intact, with a thumbnail that decodes?) and gc (drop
bytes nothing refers to). ``fsck(repair=True)`` makes missing or corrupt thumbnails again from their
blobs; a missing or damaged blob cannot be repaired here (its bytes are gone)."""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import func, select

from server_api.content.store import THUMBNAIL, GcReport
from server_api.store.sql.convert import T, V
from server_api.store.sql.retention_ops import purge_expired_versions


@dataclass(frozen=True)
class FsckReport:
    textures_checked: int
    versions_checked: int
    blobs_checked: int
    bytes_checked: int
    unreferenced_blobs: int  # bytes no version points at (gc removes them); not a problem
    missing_thumbnails: int  # every version has one since import stores them all: a problem
    corrupt_thumbnails: int = 0  # present but not a decodable image
    repaired_thumbnails: int = 0  # made again by --repair (no longer problems)
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return (f"checked {self.textures_checked} textures, {self.versions_checked} versions, "
                f"{self.blobs_checked} blobs ({self.bytes_checked} bytes re-hashed): {verdict}; "
                f"{self.unreferenced_blobs} unreferenced blobs, {self.missing_thumbnails} missing and "
                f"{self.corrupt_thumbnails} corrupt thumbnails, {self.repaired_thumbnails} repaired")


def _thumbnail_state(store, sha: str) -> str:
    """ "ok", "missing" or "corrupt" (not a decodable image) for the thumbnail of these bytes."""
    from PIL import Image

    found = store.content.get_derived(sha, THUMBNAIL)
    if found is None:
        return "missing"
    try:
        with Image.open(io.BytesIO(found[0])) as im:
            im.load()
    except Exception:  # noqa: BLE001 - whatever it is, it is not a usable thumbnail
        return "corrupt"
    return "ok"


def _remake_thumbnail(store, sha: str, where: str) -> str | None:
    """Make the thumbnail again from the blob; the problem when that fails."""
    from server_api import imaging
    from server_api.core.errors import VaultError

    try:
        with store.content.local_file(sha) as path:
            thumb = imaging.make_thumbnail(path, name=where)
    except VaultError as exc:
        return f"thumbnail of {where} cannot be made again: {exc.message}"
    store.content.put_derived(sha, THUMBNAIL, thumb.data, thumb.format)
    return None


def fsck(store, *, repair: bool = False) -> FsckReport:
    with store._read() as s:
        versions = s.execute(select(V.c.id, V.c.texture_id, V.c.number, V.c.blob_sha256, V.c.byte_size)).all()
        textures = s.execute(select(func.count(T.c.id))).scalar_one()
        headless = s.execute(select(T.c.id).where(T.c.current_version_id.is_(None))).scalars().all()
    by_hash: dict[str, list] = {}
    for row in versions:
        by_hash.setdefault(row.blob_sha256, []).append(row)
    problems = [f"texture {tid} has no current version" for tid in headless]

    def check(sha: str) -> tuple[str | None, int, str, bool]:
        """(problem, bytes re-hashed, thumbnail state, repaired)."""
        rows = by_hash[sha]
        where = ", ".join(f"texture {r.texture_id} v{r.number}" for r in rows[:3])
        thumb = _thumbnail_state(store, sha)
        size = store.content.stat(sha)
        if size is None:
            return f"blob {sha} of {where} is missing", 0, thumb, False
        if not store.content.verify(sha):
            damaged = f"blob {sha} of {where} is damaged: its bytes no longer hash to its name"
            return damaged, size, thumb, False
        if thumb == "ok":
            return None, size, thumb, False
        if repair:
            problem = _remake_thumbnail(store, sha, where)
            return problem, size, thumb, problem is None
        return f"thumbnail of {where} is {thumb} (vault fsck --repair makes it again)", size, thumb, False

    checked_bytes = 0
    thumbs: dict[str, int] = {"ok": 0, "missing": 0, "corrupt": 0}
    repaired = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # hashing releases the GIL
        for problem, size, thumb, fixed in pool.map(check, sorted(by_hash)):
            checked_bytes += size
            thumbs[thumb] += 1
            repaired += fixed
            if problem:
                problems.append(problem)
    stored = set(store.content.iter_hashes())
    return FsckReport(
        textures_checked=textures, versions_checked=len(versions), blobs_checked=len(by_hash),
        bytes_checked=checked_bytes, unreferenced_blobs=len(stored - set(by_hash)),
        missing_thumbnails=thumbs["missing"], corrupt_thumbnails=thumbs["corrupt"],
        repaired_thumbnails=repaired, problems=tuple(problems),
    )


def gc(store, *, temp_grace_seconds: float, blob_grace_seconds: float) -> GcReport:
    # The grace spares bytes an import in flight has committed but not yet pointed a row at.
    with store.session() as s:  # versions past their days in the version trash go first
        purge_expired_versions(s)
    with store._read() as s:  # every row left names its bytes, trashed versions included
        referenced = set(s.execute(select(V.c.blob_sha256).distinct()).scalars())
    return store.content.gc(referenced, temp_grace_seconds=temp_grace_seconds,
                            blob_grace_seconds=blob_grace_seconds)
