"""Honest clients while one account stalls uploads (issue 10): latency, errors and server memory.

A `vault-server serve` process on 127.0.0.1 (SQLite, 1 worker). One account opens N sockets that
each send an upload's headers, its text field, the file part's header and one byte, then nothing.
Meanwhile 20 honest accounts each run a bounded loop: list their collection, upload a small PNG,
list again. Printed: honest p50/p95/max latency and errors, what the stalled sockets were told, and
the server's RSS before, during and after. Figures are printed, never asserted (goal: p95 < 200 ms,
0 errors).

    .venv/bin/python bench/abuse_bench.py                  # 200 stalled sockets, 20 honest clients
    .venv/bin/python bench/abuse_bench.py --stalled 400 --rounds 20
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from abuse_server import AbuseServer, stall, status_of  # noqa: E402
from PIL import Image  # noqa: E402

MIB = 1 << 20


def small_png(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (seed % 256, (seed * 7) % 256, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def honest_client(server: AbuseServer, token: str, collection: int, client: int, rounds: int):
    timings, errors = [], collections.Counter()

    def timed(method: str, path: str, **kwargs) -> None:
        started = time.perf_counter()
        try:
            answer = server.call(method, path, token, timeout=30, **kwargs)
            if answer.status_code >= 400:
                errors[answer.status_code] += 1
        except Exception as exc:  # noqa: BLE001 (a timeout is exactly what we count)
            errors[type(exc).__name__] += 1
        timings.append(time.perf_counter() - started)

    for i in range(rounds):
        timed("GET", f"/api/v1/collections/{collection}/textures")
        timed("POST", f"/api/v1/collections/{collection}/textures",
              files={"file": (f"h{i}.png", small_png(client * 1000 + i))},
              data={"original_path": f"/art/h{client}-{i}.png"})
        timed("GET", "/healthz")
    return timings, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stalled", type=int, default=200)
    parser.add_argument("--honest", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="abuse-bench-") as folder, AbuseServer(Path(folder)) as server:
        mallory = server.account("mallory")
        bait = server.collection(mallory, "Bait")
        honest = [server.account(f"honest{i}") for i in range(args.honest)]
        mine = [server.collection(token, f"Work {i}") for i, token in enumerate(honest)]
        rss_before = server.rss()
        sockets = [stall(server, mallory, bait) for _ in range(args.stalled)]
        time.sleep(1.0)
        told = collections.Counter(status_of(sock, 0.05) or "stalled" for sock in sockets)
        rss_stalled = server.rss()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.honest) as pool:
            results = list(pool.map(lambda i: honest_client(server, honest[i], mine[i], i, args.rounds),
                                    range(args.honest)))
        wall = time.perf_counter() - started
        rss_during = server.rss()
        for sock in sockets:
            sock.close()
        timings = sorted(t for got, _errors in results for t in got)
        errors = sum((e for _got, e in results), collections.Counter())
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"stalled sockets from one account: {args.stalled}; the server told them: {dict(told)}")
        print(f"honest clients: {args.honest} x {args.rounds} rounds (list, upload 64 px PNG, /healthz) = "
              f"{len(timings)} requests in {wall:.1f} s")
        print(f"honest latency: p50 {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {timings[-1] * 1000:.0f} ms (goal p95 < 200 ms)")
        print(f"honest errors: {sum(errors.values())} {dict(errors) if errors else ''}(goal 0)")
        print(f"server RSS: {rss_before / MIB:.0f} MB before, {rss_stalled / MIB:.0f} MB with the stalls, "
              f"{rss_during / MIB:.0f} MB after the honest load")


if __name__ == "__main__":
    main()
