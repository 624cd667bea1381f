"""Change feed benchmark (issue 16): what commit-ordered cursors cost writers, how fast a page of
changes reads in a big history, and how long a write takes to reach many SSE streams.

    python bench/change_feed_bench.py [--postgres] [--writes 400] [--threads 4] [--history 100000]
                                      [--streams 50] [--rounds 20]

writes   --threads threads each make --writes/--threads audited writes (update_collection) on their
         own collection: events/s with events written in before_commit under the advisory lock
         (now) and inserted where they are recorded (before: ids not in commit order on PostgreSQL).
read     changes(since, 500) in a history of --history events: a server admin (sees all), and a
         user who can read 1 collection in 100 (the filter scans; the cursor then skips what it saw).
stream   --streams SSE streams on a real uvicorn (poll 0.05 s); a write, then the time until every
         stream has it: p50/p95 over --rounds writes.
--postgres runs on a throwaway PostgreSQL database (tests/postgres.py), else SQLite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import insert  # noqa: E402

from server_api.core.settings import Settings  # noqa: E402
from server_api.store.sql import access  # noqa: E402
from server_api.store.sql.convert import E, now  # noqa: E402
from server_api.store.sql.opening import open_server_store  # noqa: E402


def database_url(postgres: bool) -> str | None:
    if not postgres:
        return None
    from postgres import fresh_database_url

    return fresh_database_url(migrated=True)


def bench_writes(root, writes: int, threads: int) -> float:
    admin = root.for_user("ada")
    collections = [admin.create_collection(f"W{time.monotonic_ns()}-{i}").id for i in range(threads)]

    def work(collection_id: int) -> None:
        for n in range(writes // threads):
            admin.update_collection(collection_id, description=f"take {n}")

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(c,)) for c in collections]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return (writes // threads * threads) / (time.perf_counter() - started)


def bench_reads(root, history: int) -> dict[str, float]:
    admin = root.for_user("ada")
    root.create_admin("ada2", None)
    reader = admin.create_user("rita", None)
    collections = [admin.create_collection(f"R{i}").id for i in range(100)]
    admin.set_grant(collections[0], reader.username, "read")
    actor = admin.current_user().id
    start = admin.latest_cursor()
    batch = 10_000
    for first in range(0, history, batch):
        with root.session() as s:
            s.execute(insert(E), [dict(collection_id=collections[i % 100], texture_id=None, version_id=None,
                                       material_id=None, actor_id=actor, action="update_collection",
                                       detail="changed the description", created_at=now())
                                  for i in range(first, min(history, first + batch))])
    rita = root.for_user("rita")
    figures = {}
    for who, store in (("admin", admin), ("reader 1%", rita)):
        times = []
        cursor = start
        for _ in range(20):
            began = time.perf_counter()
            page = store.changes(cursor, 500)
            times.append(1000 * (time.perf_counter() - began))
            cursor = page.cursor if page.more else start
        figures[f"page of 500, {who}"] = statistics.median(times)
        began = time.perf_counter()
        store.changes(store.latest_cursor(), 500)
        figures[f"nothing new, {who}"] = 1000 * (time.perf_counter() - began)
    return figures


def bench_stream(tmp: Path, url: str | None, streams: int, rounds: int) -> tuple[float, float]:
    from live_server import LiveServer

    with LiveServer(tmp / "stream", database_url=url, settings={"changes_poll_s": 0.05}) as server:
        token = server.add_user("sse", admin=True)
        store = server.store(token)
        seen: dict[int, list[float]] = {}
        lock = threading.Lock()

        def read(response) -> None:
            try:
                for line in response.iter_lines(decode_unicode=True):
                    if line.startswith("id: "):
                        with lock:
                            seen.setdefault(int(line[4:]), []).append(time.perf_counter())
            except (requests.RequestException, AttributeError):
                pass  # closed at the end of the run (requests raises AttributeError mid-read)

        since = store.latest_cursor()
        responses = [requests.get(f"{server.url}/api/v1/changes/stream?since={since}", stream=True,
                                  headers={"Authorization": f"Bearer {token}"}, timeout=(5, 60))
                     for _ in range(streams)]
        for response in responses:
            threading.Thread(target=read, args=(response,), daemon=True).start()
        time.sleep(1)
        collection = store.create_collection("Stream")
        delays = []
        for n in range(rounds):
            began = time.perf_counter()
            store.update_collection(collection.id, description=f"round {n}")
            cursor = store.latest_cursor()
            deadline = time.perf_counter() + 30
            while len(seen.get(cursor, ())) < streams and time.perf_counter() < deadline:
                time.sleep(0.002)
            if len(seen.get(cursor, ())) < streams:
                print(f"round {n}: only {len(seen.get(cursor, ()))} of {streams} streams had it after 30 s")
                continue
            delays.append(1000 * (max(seen[cursor]) - began))
            time.sleep(0.1)
        for response in responses:
            response.close()
    delays.sort()
    if not delays:
        return float("nan"), float("nan")
    return statistics.median(delays), delays[int(0.95 * (len(delays) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--writes", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--streams", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = database_url(args.postgres)
        root = open_server_store(Settings(database_url=url), tmp / "data")
        root.create_admin("ada", None)
        print(f"database: {'PostgreSQL' if url else 'SQLite'}")
        now_rate = bench_writes(root, args.writes, args.threads)
        original = access.queue_events
        access.queue_events = lambda s, rows: s.execute(insert(E), rows)  # the old way: insert at once
        try:
            before_rate = bench_writes(root, args.writes, args.threads)
        finally:
            access.queue_events = original
        print(f"writes, {args.threads} threads: {now_rate:.0f}/s commit-ordered "
              f"(before: {before_rate:.0f}/s inserted at once, not commit-ordered)")
        for name, ms in bench_reads(root, args.history).items():
            print(f"read in {args.history:,} events, {name}: {ms:.1f} ms")
        root.close()
        p50, p95 = bench_stream(tmp, database_url(args.postgres), args.streams, args.rounds)
        print(f"write -> all {args.streams} SSE streams: p50 {p50:.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
