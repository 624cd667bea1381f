"""fsck (is every version's blob there and intact?) and gc (drop bytes nothing refers to)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import func, select

from server_api.content.blobs import GcReport
from server_api.store.sql.convert import T, V


@dataclass(frozen=True)
class FsckReport:
    textures_checked: int
    versions_checked: int
    blobs_checked: int
    bytes_checked: int
    unreferenced_blobs: int  # bytes no version points at (gc removes them); not a problem
    missing_thumbnails: int  # made again on demand; not a problem
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return (f"checked {self.textures_checked} textures, {self.versions_checked} versions, "
                f"{self.blobs_checked} blobs ({self.bytes_checked} bytes re-hashed): {verdict}; "
                f"{self.unreferenced_blobs} unreferenced blobs, {self.missing_thumbnails} missing thumbnails")


def fsck(store) -> FsckReport:
    with store._read() as s:
        versions = s.execute(select(V.c.id, V.c.texture_id, V.c.number, V.c.blob_sha256, V.c.byte_size)).all()
        textures = s.execute(select(func.count(T.c.id))).scalar_one()
        headless = s.execute(select(T.c.id).where(T.c.current_version_id.is_(None))).scalars().all()
    by_hash: dict[str, list] = {}
    for row in versions:
        by_hash.setdefault(row.blob_sha256, []).append(row)
    problems = [f"texture {tid} has no current version" for tid in headless]

    def check(sha: str) -> tuple[str, str | None, int]:
        rows = by_hash[sha]
        where = ", ".join(f"texture {r.texture_id} v{r.number}" for r in rows[:3])
        if not store.blobs.exists(sha):
            return sha, f"blob {sha} of {where} is missing", 0
        size = store.blobs.path_for(sha).stat().st_size
        if not store.blobs.verify(sha):
            return sha, f"blob {sha} of {where} is damaged: its bytes no longer hash to its name", size
        return sha, None, size

    checked_bytes = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # hashing releases the GIL
        for _sha, problem, size in pool.map(check, sorted(by_hash)):
            checked_bytes += size
            if problem:
                problems.append(problem)
    stored = set(store.blobs.iter_hashes())
    missing_thumbs = sum(1 for sha in by_hash if sha in stored and not store.thumbs.has(sha))
    return FsckReport(
        textures_checked=textures, versions_checked=len(versions), blobs_checked=len(by_hash),
        bytes_checked=checked_bytes, unreferenced_blobs=len(stored - set(by_hash)),
        missing_thumbnails=missing_thumbs, problems=tuple(problems),
    )


def gc(store, *, temp_grace_seconds: float, blob_grace_seconds: float) -> GcReport:
    # The grace spares bytes an import in flight has committed but not yet pointed a row at.
    with store._read() as s:
        referenced = set(s.execute(select(V.c.blob_sha256).distinct()).scalars())
    return store.blobs.gc(referenced, temp_grace_seconds=temp_grace_seconds,
                          blob_grace_seconds=blob_grace_seconds)
