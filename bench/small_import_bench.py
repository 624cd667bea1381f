"""1,000 small PNGs (256 px): local and remote `vault import` against the floor, same files, same run.

FLOOR  = read + sha256 + thumbnail of every file on a thread pool over all cores (bench/import_bench.py).
LOCAL  = import_paths into a fresh local vault (the batched SQL import).
REMOTE = import_paths through RestVaultStore to a real `vault-server serve` on 127.0.0.1 (several
         uploads in flight, one round trip per file: POST /collections/{id}/imports).
It also counts the thumbnails each vault stored (issue 9: every version has one), and prints CPU
seconds beside wall time (for remote: the client's plus the server process's): on a shared machine
at load 10+ the wall ratio mostly measures the neighbours; the CPU ratio says what the wall ratio
would be on a quiet machine while the work stays CPU-bound.
Goals (issue 9): local >= 0.8 x floor, remote >= 0.4 x floor.

    .venv/bin/python bench/small_import_bench.py [--files 1000] [--side 256] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from PIL import Image  # noqa: E402

from bench.import_bench import Clock, run_floor, run_import  # noqa: E402
from bench.server_bench import PASSWORD, free_port, start_server  # noqa: E402

GOALS = {"local": 0.8, "remote": 0.4}


def make_pngs(folder: Path, count: int, side: int) -> list[Path]:
    """Distinct small PNGs that compress like texture art (a tinted gradient plus grain)."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(9)
    base = Image.linear_gradient("L").resize((side, side))
    grain = Image.effect_noise((side, side), 24).convert("L")
    paths = []
    for i in range(count):
        tint = [rnd.randrange(256) for _ in range(3)]
        bands = [Image.blend(base, grain, 0.3).point(lambda v, t=t: (v + t) % 256) for t in tint]
        path = folder / f"tex_{i:04}.png"
        Image.merge("RGB", bands).save(path, "PNG")
        paths.append(path)
    return paths


def thumbnails_in(data_dir: Path) -> int:
    return sum(1 for p in (data_dir / "thumbs").rglob("*") if p.is_file())


def process_cpu(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_remote(paths: list[Path], work: Path, run: int) -> tuple[tuple[float, float, float], int]:
    """(wall, client CPU, server CPU) seconds, and the thumbnails the server stored."""
    from server_api.cli.server import create_account
    from server_api.core.settings import settings
    from server_api.store.rest.client import RestVaultStore
    from server_api.store.sql.opening import open_server_store
    from server_api.workflows.importing import import_paths

    data = work / f"server{run}"
    root = open_server_store(settings(), data)
    try:
        create_account(root, "bench", PASSWORD, admin=True)
    finally:
        root.close()
    port = free_port()
    server = start_server(data, port, 1, None)
    try:
        url = f"http://127.0.0.1:{port}"
        store = RestVaultStore(url, token=RestVaultStore.login(url, "bench", PASSWORD))
        collection = store.create_collection("bench")
        clock, server_cpu = Clock(), process_cpu(server.pid)
        results = import_paths(store, collection.id, paths)
        wall, user, system = clock.read()
        elapsed = (wall, user + system, process_cpu(server.pid) - server_cpu)
        store.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    bad = [r for r in results if r.status != "added"]
    if bad:
        raise SystemExit(f"remote import did not add every file, e.g. {bad[0]}")
    return elapsed, thumbnails_in(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--side", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=2, help="best of N runs of each (default 2)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-remote", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="small-import-") as scratch:
        work = Path(scratch)
        started = time.perf_counter()
        paths = make_pngs(work / "corpus", args.files, args.side)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {len(paths)} PNGs of {args.side} px, {megabytes:.1f} MB, made in "
              f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} cores")
        best = {"floor": (float("inf"), 0.0, 0.0), "local": (float("inf"), 0.0, 0.0),
                "remote": (float("inf"), 0.0, 0.0)}
        thumbs = {}
        for run in range(args.repeat):  # interleaved, so all see the same machine load
            best["floor"] = min(best["floor"], run_floor(paths, args.workers))
            best["local"] = min(best["local"], run_import(paths, args.workers, work / f"vault{run}"))
            thumbs["local"] = thumbnails_in(work / f"vault{run}")
            if not args.no_remote:
                remote, thumbs["remote"] = run_remote(paths, work, run)
                best["remote"] = min(best["remote"], remote)
        floor = best["floor"][0]
        floor_cpu = sum(best["floor"][1:])
        print(f"floor   {floor:6.2f} s  {len(paths) / floor:7.1f} files/s  (CPU {floor_cpu:.2f} s)")
        for name in ("local", "remote"):
            if name == "remote" and args.no_remote:
                continue
            wall = best[name][0]
            ratio = floor / wall
            verdict = "meets" if ratio >= GOALS[name] else "misses"
            cpu = sum(best[name][1:])  # client + server for remote: what a quiet machine would wait for
            print(f"{name:<7} {wall:6.2f} s  {len(paths) / wall:7.1f} files/s  = {ratio:.2f} x floor "
                  f"({verdict} the goal of {GOALS[name]}); CPU {cpu:.2f} s = {floor_cpu / cpu:.2f} x the "
                  f"floor's; thumbnails stored: {thumbs[name]}/{len(paths)}")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
