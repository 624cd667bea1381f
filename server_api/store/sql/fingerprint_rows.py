"""blob_hash / blob_colour rows: an image's perceptual hash and palette, keyed by its bytes' sha256.

Written in the transaction that writes the version rows (the same bytes are fingerprinted once,
whoever imports them); ``reindex_batch`` fills them in for bytes imported before hashing existed, and
recomputes those an older recipe made (blob_hash.recipe < fingerprint.RECIPE), from the stored
thumbnails the import would have used: one batch per call, in sha256 order, so a server does it in
requests of bounded length and the caller shows progress.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from server_api.store.sql.convert import V
from server_api.store.sql.models import BlobColourRow, BlobHashRow

log = logging.getLogger(__name__)
H, BC = BlobHashRow.__table__, BlobColourRow.__table__
BATCH = 500


def keep(s, items: Iterable[tuple[str, object]]) -> None:
    """Insert the fingerprints of ``(sha256, Fingerprint | None)`` pairs not stored yet (None: skip;
    two imports of the same new bytes at once both try, and the second one's rows are dropped)."""
    from server_api.imaging.fingerprint import RECIPE, bands, lab_cell, to_signed

    hashes, colours, seen = [], [], set()
    for sha, fp in items:
        if fp is None or sha in seen:
            continue
        seen.add(sha)
        b = bands(fp.phash) if fp.phash is not None else (None,) * 4
        hashes.append(dict(sha256=sha, phash=None if fp.phash is None else to_signed(fp.phash),
                           band0=b[0], band1=b[1], band2=b[2], band3=b[3], recipe=RECIPE))
        colours.extend(dict(sha256=sha, rank=rank, lab_l=c.l, lab_a=c.a, lab_b=c.b, weight=c.weight,
                            cell=lab_cell(c.l, c.a, c.b)) for rank, c in enumerate(fp.palette))
    if hashes:
        s.execute(_insert_new(s, H, ["sha256"]), hashes)
    if colours:
        s.execute(_insert_new(s, BC, ["sha256", "rank"]), colours)


def _insert_new(s, table, key: list[str]):
    dialect = postgresql if s.bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=key)


def palettes(s, shas: list[str]) -> dict[str, tuple]:
    """sha256 -> its palette (LabColour, biggest share first) for those that have one."""
    from server_api.imaging.fingerprint import LabColour

    out: dict[str, list] = {}
    for start in range(0, len(shas), BATCH):
        rows = s.execute(select(BC).where(BC.c.sha256.in_(shas[start:start + BATCH])).order_by(BC.c.rank))
        for r in rows:
            out.setdefault(r.sha256, []).append(LabColour(r.lab_l, r.lab_a, r.lab_b, r.weight))
    return {sha: tuple(colours) for sha, colours in out.items()}


def _up_to_date():
    from server_api.imaging.fingerprint import RECIPE

    return select(H.c.sha256).where(H.c.sha256 == V.c.blob_sha256, H.c.recipe >= RECIPE).exists()


def stale(s, after: str, limit: int) -> list[str]:
    """sha256s after ``after`` (in order) of versions whose bytes have no fingerprint, or one that an
    older recipe made."""
    return list(s.execute(select(V.c.blob_sha256).where(~_up_to_date(), V.c.blob_sha256 > after)
                          .distinct().order_by(V.c.blob_sha256).limit(limit)).scalars())


def stale_count(s) -> int:
    return s.execute(select(func.count(V.c.blob_sha256.distinct())).where(~_up_to_date())).scalar_one()


def reindex_batch(store, after: str, limit: int) -> tuple[int, int, str | None]:
    """Fingerprint up to ``limit`` stale bytes after ``after``: (done, skipped, where the next batch
    starts or None at the end). Skipped bytes have no readable thumbnail (``vault fsck --repair``
    makes it again; a later reindex then finds them); the log names each."""
    from PIL import Image

    from server_api.imaging.fingerprint import fingerprint

    with store._read() as s:
        todo = stale(s, after, limit + 1)
    more, todo = len(todo) > limit, todo[:limit]
    found, skipped = [], 0
    for sha in todo:
        stored = store.content.get_derived(sha, "thumbnail")  # content.store.THUMBNAIL
        try:
            if stored is None:
                raise OSError("no thumbnail")
            with Image.open(io.BytesIO(stored[0])) as small:
                small.load()
                found.append((sha, fingerprint(small)))
        except Exception as exc:  # noqa: BLE001  (one bad thumbnail must not stop the rest)
            log.warning("%s: cannot fingerprint its thumbnail (%s)", sha, exc)
            skipped += 1
    with store.session() as s:
        shas = [sha for sha, _ in found]
        for start in range(0, len(shas), BATCH):  # an older recipe's rows make way for the new ones
            s.execute(delete(BC).where(BC.c.sha256.in_(shas[start:start + BATCH])))
            s.execute(delete(H).where(H.c.sha256.in_(shas[start:start + BATCH])))
        keep(s, found)
    log.info("fingerprinted %d, skipped %d, up to %s", len(found), skipped, todo[-1] if todo else after)
    return len(found), skipped, todo[-1] if more else None
