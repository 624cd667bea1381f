"""Review benchmark (issue 16): notifications, review badges and the review: query at scale.

Prints median and p95 milliseconds (never asserts them).

    .venv/bin/python bench/review_bench.py [--textures 20000] [--events 200000] [--runs 30]

Set-up on a SQLite server database: olivia's collection of ``--textures`` textures (the store's bulk
path) with review required; ``--events`` audit events by teammates on her textures (comments,
review statuses, new versions and, as noise, tags and current-version changes), written straight into
the audit table (what the store's writes leave, made fast); 300 real comments on one texture;
one texture of zoe's among them. Measured through the store, as the app and the server call it.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.append(str(ROOT / "bench"))  # after tests/: bench has a corpus.py of its own
from search_bench import p95 as timed  # noqa: E402  (median and p95 ms after warm-ups)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textures", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from corpus import write_image
    from sqlalchemy import insert, select

    from server_api.store.entities import TextureQuery
    from server_api.store.review_entities import Region
    from server_api.store.sql.bulk import BulkTexture
    from server_api.store.sql.convert import E, U, V
    from server_api.store.sql.engine import sqlite_url
    from server_api.store.sql.store import SqlVaultStore

    folder = Path(tempfile.mkdtemp(prefix="review_bench_"))
    root = SqlVaultStore.open_server(sqlite_url(folder / "server.db"), folder / "data")
    root.create_admin("root", None)
    admin = root.for_user("root")
    for name in ("olivia", "rita", "adam", "zoe"):
        admin.create_user(name, None)
    olivia, rita, adam, zoe = (root.for_user(n) for n in ("olivia", "rita", "adam", "zoe"))
    coll = olivia.create_collection("Big")
    olivia.set_grant(coll.id, "rita", "read")
    olivia.set_grant(coll.id, "adam", "admin")
    olivia.set_grant(coll.id, "zoe", "write")
    olivia.set_review_required(coll.id, True)
    sample = write_image(folder / "sample.png", seed=1)
    start = time.perf_counter()
    ids = olivia.bulk_add_textures(coll.id, (BulkTexture(f"/art/t{i:06d}.png") for i in range(args.textures)),
                                   str(sample))
    zoes = zoe.add_texture(coll.id, str(write_image(folder / "zoe.png", seed=2)),
                           original_path="/art/zoe.png")
    print(f"{args.textures:,} textures in {time.perf_counter() - start:.1f} s")

    with root.engine.connect() as conn:
        people = dict(conn.execute(select(U.c.username, U.c.id)).all())
        versions = dict(conn.execute(select(V.c.texture_id, V.c.id)).all())
    rng = random.Random(7)
    kinds = ["comment_added"] * 5 + ["review_status"] * 2 + ["add_version", "tag", "set_current"]
    start = time.perf_counter()
    batch, when = [], datetime.now(UTC)
    for n in range(args.events):
        texture_id = zoes.id if n % 1000 == 0 else rng.choice(ids)
        batch.append(dict(collection_id=coll.id, texture_id=texture_id, version_id=versions[texture_id],
                          actor_id=people[rng.choice(("rita", "adam"))], action=rng.choice(kinds),
                          detail=f"event {n}", created_at=when))
        if len(batch) == 5000:
            with root.session() as s:
                s.execute(insert(E), batch)
            batch = []
    if batch:
        with root.session() as s:
            s.execute(insert(E), batch)
    print(f"{args.events:,} audit events in {time.perf_counter() - start:.1f} s")
    for i in range(300):
        rita.add_comment(versions[ids[0]], f"note {i}", Region(0.1, 0.1, 0.2, 0.2) if i % 2 else None)
    for texture_id in ids[: args.textures // 10]:  # a tenth reviewed: approved or changes requested
        adam.set_review_status(versions[texture_id], "approved" if texture_id % 2 else "changes_requested")
    print(f"{args.textures // 10:,} review statuses set one by one")

    rows = [
        ("notifications(50), olivia: every event is hers", lambda: olivia.notifications(50)),
        ("notifications(50), zoe: one texture among them", lambda: zoe.notifications(50)),
        ("mark_notifications_read (newest)", lambda: olivia.mark_notifications_read(10**9)),
        (f"review_statuses, {args.textures:,} textures", lambda: olivia.review_statuses(coll.id)),
        ("list_textures review:needs, first 200", lambda: olivia.list_textures(
            coll.id, TextureQuery(text="review:needs"), limit=200)),
        ("count_textures review:changes",
         lambda: olivia.count_textures(coll.id, TextureQuery(text="review:changes"))),
        ("list_textures unfiltered, first 200 (baseline)", lambda: olivia.list_textures(coll.id, limit=200)),
        ("texture_comments, 300 comments", lambda: olivia.texture_comments(ids[0])),
    ]
    print(f"{'call':52} {'median ms':>10} {'p95 ms':>8}")
    for label, call in rows:
        median, p95 = timed(call, args.runs)
        print(f"{label:52} {median:10.1f} {p95:8.1f}")
    root.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
