"""Perceptual-hash and colour search in SQL: what ``similar:``/``colour:`` and the similar API share.

Hashes: multi-index hashing over blob_hash's four indexed 16-bit bands. Two 64-bit hashes at most
``r`` bits apart have some band at most ``r // 4`` bits apart (pigeonhole), so a search reads the rows
whose band equals one of the few values that close (1, 17, 137 or 697 per band for r // 4 = 0..3)
and measures the whole distance of those only. Measured in bench/search_bench.py against reading
every hash.
Colours: blob_colour's Lab cells: the cells a ΔE ball touches, then the exact distance in SQL.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, cast, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import BIT

from server_api.store.sql import fingerprint_rows
from server_api.store.sql.convert import T, V
from server_api.store.sql.fingerprint_rows import BC, H

BAND_COLUMNS = (H.c.band0, H.c.band1, H.c.band2, H.c.band3)
COLOUR_WEIGHT = 0.5  # hash bits per ΔE of palette distance when ranking similar pictures


def reference(s, texture_id: int, scope: ColumnElement) -> tuple[str, int] | None:
    """(sha256, unsigned hash) of ``texture_id``'s current version when it is a live texture within
    ``scope`` (a condition on its collection: what the caller may read) and has a hash; else None."""
    from server_api.imaging.fingerprint import to_unsigned

    if not -(1 << 31) <= texture_id < 1 << 31:  # an INTEGER column; PostgreSQL refuses more
        return None
    found = s.execute(
        select(H.c.sha256, H.c.phash).select_from(T.join(V, V.c.id == T.c.current_version_id)
                                                  .join(H, H.c.sha256 == V.c.blob_sha256))
        .where(T.c.id == texture_id, T.c.deleted_at.is_(None), scope, H.c.phash.is_not(None))
    ).first()
    return None if found is None else (found.sha256, to_unsigned(found.phash))


def ranked(s, sha: str, near: dict[str, int]) -> list[tuple[str, tuple[int, float]]]:
    """(sha256, (bits, colour distance)) of ``near`` (sha256 -> bits from ``sha``'s hash), best first:
    bits + COLOUR_WEIGHT × palette distance. Greyscale hashes cannot tell a red gradient from a
    blue one; the palette can (measured: of 800 edited copies, 22 had 4 better-ranked strangers
    by bits alone, 9 with colour, all of them further than MAX_DISTANCE)."""
    from server_api.imaging.fingerprint import palette_distance

    palettes = fingerprint_rows.palettes(s, [sha, *near])
    mine = palettes.get(sha, ())
    scored = [(other, (bits, palette_distance(mine, palettes.get(other, ()))))
              for other, bits in near.items()]
    return sorted(scored, key=lambda r: (r[1][0] + COLOUR_WEIGHT * r[1][1], r[0]))


def near_hashes(s, target: int, radius: int) -> dict[str, int]:
    """sha256 -> distance of every stored hash within ``radius`` bits of ``target``. PostgreSQL
    measures the distance itself (bit_count), so only the answers leave the database; SQLite
    hands the band matches to Python (in-process, cheap to read)."""
    from server_api.imaging.fingerprint import bands, distance, near_bands, to_signed, to_unsigned

    probes = [one_of(column, near_bands(band, radius // 4))
              for column, band in zip(BAND_COLUMNS, bands(target), strict=True)]
    if _dialect(s) == "postgresql":
        within = func.bit_count(cast(H.c.phash.op("#")(to_signed(target)), BIT(64))) <= radius
        rows = s.execute(select(H.c.sha256, H.c.phash).where(or_(*probes), within))
        return {sha: distance(target, to_unsigned(value)) for sha, value in rows}
    out: dict[str, int] = {}
    for probe in probes:
        for sha, value in s.execute(select(H.c.sha256, H.c.phash).where(probe)):
            if sha not in out and (d := distance(target, to_unsigned(value))) <= radius:
                out[sha] = d
    return out


def one_of(column, values: list[int]) -> ColumnElement:
    """``column IN (values)`` written out: whole numbers we made ourselves (band values, texture
    ids), where binding each one cost more than the search (SQLAlchemy's expanding parameters:
    ~2 ms per 700). A comparison, so SQLite still uses the column's index and ``-colour:`` negates it
    (a Boolean-typed literal became "(… IN …) = 1": a full scan)."""
    listed = ",".join(str(int(v)) for v in values)
    return column.op("IN", is_comparison=True)(literal_column(f"({listed})"))


def textures_with(shas) -> ColumnElement:
    """A condition: the texture's current version holds one of ``shas`` (a list or a subquery),
    written so the database starts from the sha256 index, not from every texture in scope."""
    by_bytes = V.alias("by_bytes")
    return and_(V.c.blob_sha256.in_(shas),
                T.c.id.in_(select(by_bytes.c.texture_id).where(by_bytes.c.blob_sha256.in_(shas))))


def _dialect(s) -> str:
    """The database's name from a Session or a Connection."""
    return s.dialect.name if hasattr(s, "dialect") else s.get_bind().dialect.name


def colour_shas(l: float, a: float, b: float, radius: float):  # noqa: E741
    """A subquery of the sha256s whose palette has a colour within ``radius`` (ΔE76) of (l, a, b)
    covering at least COLOUR_SHARE of the picture."""
    return select(BC.c.sha256).where(*_colour_near(l, a, b, radius))


def _colour_near(l: float, a: float, b: float, radius: float) -> list[ColumnElement]:  # noqa: E741
    """Palette colours within ``radius`` of (l, a, b) covering at least COLOUR_SHARE: the cells
    first (indexed, with the colour and share in the index: no table read), then the exact ΔE."""
    from server_api.imaging.fingerprint import cells_near
    from server_api.store.similar_api import COLOUR_SHARE

    cells = one_of(BC.c.cell, cells_near(l, a, b, radius))
    return [cells, BC.c.weight >= COLOUR_SHARE, delta_e_squared(l, a, b) <= radius * radius]


def colour_texture_ids(s, l: float, a: float, b: float, radius: float, cap: int) -> list[int] | None:  # noqa: E741
    """Ids of the textures (live or trashed, any collection) whose current version has the colour
    (colour_shas), when there are at most ``cap``; None for more: then the colour is common and
    walking the page's own index finds a page of them soon (query_sql decides the plan)."""
    by_bytes = V.alias("by_bytes")
    ids = s.execute(
        select(T.c.id).select_from(by_bytes.join(T, and_(T.c.id == by_bytes.c.texture_id,
                                                         T.c.current_version_id == by_bytes.c.id)))
        .where(by_bytes.c.blob_sha256.in_(colour_shas(l, a, b, radius))).limit(cap + 1)).scalars().all()
    return None if len(ids) > cap else sorted(set(ids))


def colour_ranked(s, lab: tuple[float, float, float], radius: float) -> list[tuple[str, tuple]]:
    """(sha256, (ΔE, share)) of the bytes whose palette has a colour within ``radius`` of ``lab``
    covering at least COLOUR_SHARE, best first: fingerprint.colour_score (ΔE, plus up to 30 for a
    small share), one score per bytes (their best such colour)."""
    return [(sha, (delta_e, weight)) for sha, _, delta_e, weight in colour_scored(s, lab, radius)]


def colour_scored(s, lab: tuple[float, float, float], radius: float) -> list[tuple[str, float, float, float]]:
    """(sha256, score, ΔE, share) of colour_ranked, best first, in one indexed pass over the cells."""
    from server_api.imaging.fingerprint import colour_score

    best: dict[str, tuple[float, float, float]] = {}
    for sha, d2, weight in s.execute(select(BC.c.sha256, delta_e_squared(*lab), BC.c.weight)
                                     .where(*_colour_near(*lab, radius))):
        delta_e = max(0.0, d2) ** 0.5
        score = colour_score(delta_e, weight)
        if sha not in best or score < best[sha][0]:
            best[sha] = (score, delta_e, weight)
    ordered = sorted(best.items(), key=lambda kv: (kv[1][0], kv[0]))
    return [(sha, score, delta_e, weight) for sha, (score, delta_e, weight) in ordered]


def delta_e_squared(l: float, a: float, b: float):  # noqa: E741
    return ((BC.c.lab_l - l) * (BC.c.lab_l - l) + (BC.c.lab_a - a) * (BC.c.lab_a - a)
            + (BC.c.lab_b - b) * (BC.c.lab_b - b))
