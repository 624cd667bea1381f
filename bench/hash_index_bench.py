"""Perceptual-hash index benchmark (issue 14): which index keeps similar search fast at 1M versions.

Fills a bare blob_hash table (the real model and indexes) with ``--hashes`` hashes: 90 % random,
10 % in families of near-duplicates (a base hash with 0..6 bits flipped), then times, for radii
4, 10 and 15 bits:
- multi-index hashing (similar_sql.near_hashes: the four indexed 16-bit bands, then the exact
  distance of the rows found), what the store uses;
- a plain scan: every hash read and compared in Python (SQLite), or ``bit_count(phash # h)`` in
  SQL (PostgreSQL 14+; a scan too, but in the database).
Prints median and p95 ms; never asserts.

    .venv/bin/python bench/hash_index_bench.py [--hashes 1000000] [--runs 20] [--postgres]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def timed(call, targets: list[int]) -> tuple[float, float, int]:
    """(median ms, p95 ms, rows found for the first target) of ``call(target)`` over ``targets``."""
    found = call(targets[0])
    times = []
    for target in targets:
        start = time.perf_counter()
        call(target)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], len(found)


def fill(engine, count: int, rnd: random.Random) -> list[int]:
    from server_api.imaging.fingerprint import bands, to_signed
    from server_api.store.sql.fingerprint_rows import H

    hashes = []
    while len(hashes) < count:
        base = rnd.getrandbits(64)
        hashes.append(base)
        if rnd.random() < 0.02:  # a family of 5 near-duplicates
            for _ in range(5):
                h = base
                for _ in range(rnd.randrange(7)):
                    h ^= 1 << rnd.randrange(64)
                hashes.append(h)
    hashes = hashes[:count]
    with engine.begin() as conn:
        for start in range(0, count, 20_000):
            conn.execute(H.insert(), [
                dict(sha256=f"{n:064x}", phash=to_signed(h), band0=b[0], band1=b[1], band2=b[2], band3=b[3])
                for n, h in enumerate(hashes[start:start + 20_000], start) for b in (bands(h),)])
    return hashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hashes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL (tests/postgres.py)")
    args = parser.parse_args(argv)

    from sqlalchemy import create_engine, select, text

    from server_api.imaging.fingerprint import distance, to_signed, to_unsigned
    from server_api.store.sql.fingerprint_rows import H
    from server_api.store.sql.models import Base
    from server_api.store.sql.similar_sql import near_hashes

    with tempfile.TemporaryDirectory(prefix="hash-bench-") as tmp:
        if args.postgres:
            from postgres import fresh_database_url
            url = fresh_database_url()
        else:
            url = f"sqlite:///{tmp}/hashes.db"
        engine = create_engine(url)
        Base.metadata.create_all(engine, tables=[H])
        rnd = random.Random(14)
        started = time.perf_counter()
        hashes = fill(engine, args.hashes, rnd)
        if args.postgres:
            with engine.begin() as conn:
                conn.execute(text("ANALYZE blob_hash"))
        print(f"{engine.dialect.name}: {len(hashes):,} hashes stored in "
              f"{time.perf_counter() - started:.1f} s")
        targets = [hashes[rnd.randrange(len(hashes))] for _ in range(args.runs)]
        how = "bit_count scan (SQL)" if args.postgres else "scan (Python)"
        with engine.connect() as conn:
            for radius in (4, 10, 15):
                def indexed(target, radius=radius):
                    return near_hashes(conn, target, radius)

                def scan(target, radius=radius):
                    if args.postgres:
                        near = text("bit_count((phash # :h)::bit(64)) <= :r")
                        return conn.execute(select(H.c.sha256).where(
                            near.bindparams(h=to_signed(target), r=radius))).all()
                    return [sha for sha, value in conn.execute(select(H.c.sha256, H.c.phash))
                            if distance(target, to_unsigned(value)) <= radius]

                for name, call, some in (("multi-index hashing", indexed, targets),
                                         (how, scan, targets[:max(3, args.runs // 4)])):
                    median, high, n = timed(call, some)
                    print(f"radius {radius:2}  {name:21} median {median:8.1f} ms  p95 {high:8.1f} ms  "
                          f"({n} found)")
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
