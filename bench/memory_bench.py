"""Peak memory of importing big textures, each in a fresh process (its peak RSS, ru_maxrss).

- a 16384² 16-bit greyscale PNG and an 8K RGB PNG imported into a local vault (`vault import`);
- four crafted 16384² palette PNGs (a few hundred KiB each, 256 MiB decoded) uploaded to a real
  `vault-server` at once: the server's peak RSS against its decode budget.
Goals (issue 9): 16-bit 16K <= 500 MB, 8K RGB <= 250 MB; the server stays under its budget + ~100 MB.

    .venv/bin/python bench/memory_bench.py [--budget-mb 512]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from bench.server_bench import PASSWORD, free_port, start_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _chunk(tag: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + tag + data + zlib.crc32(tag + data).to_bytes(4, "big")


def write_png(path: Path, side: int, *, color_type: int, bit_depth: int, seed: int = 0) -> Path:
    """A PNG written row by row (never whole in memory): 16-bit grey (0/16), RGB (2/8), palette (3/8).
    Rows carry a cheap seeded pattern, so the file is real data that compresses like art."""
    channels = {0: 1, 2: 3, 3: 1}[color_type]
    row_bytes = side * channels * bit_depth // 8
    header = side.to_bytes(4, "big") * 2 + bytes([bit_depth, color_type, 0, 0, 0])
    squeeze = zlib.compressobj(6)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header))
        if color_type == 3:
            out.write(_chunk(b"PLTE", bytes(range(256)) * 3))
        pattern = bytes((i * 7 + seed) % 256 for i in range(row_bytes + 256))
        for y in range(side):
            start = (y * 13) % 256
            out.write(_chunk(b"IDAT", squeeze.compress(b"\x00" + pattern[start:start + row_bytes])))
        out.write(_chunk(b"IDAT", squeeze.flush()) + _chunk(b"IEND", b""))
    return path


def import_peak_mb(vault: Path, path: Path, budget_mb: int) -> tuple[float, str]:
    """Peak RSS (MB) of a `vault import` child process importing ``path``, and its output line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VAULT_DECODE_BUDGET_MB": str(budget_mb)}
    env.pop("VAULT", None)
    run = [sys.executable, "-m", "server_api.cli.vault", "--vault", str(vault)]
    subprocess.run([*run, "init"], env=env, check=True, capture_output=True)
    subprocess.run([*run, "collection", "create", "Big"], env=env, check=True, capture_output=True)
    # The child reports its own peak (ru_maxrss of RUSAGE_CHILDREN is the max over all children).
    wrapper = ("import resource, runpy, sys\n"
               "sys.argv = ['vault', *sys.argv[1:]]\n"
               "try:\n    runpy.run_module('server_api.cli.vault', run_name='__main__')\n"
               "finally:\n"
               "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", wrapper, "--vault", str(vault), "import", "--collection",
                           "Big", str(path)], env=env, capture_output=True, text=True)
    peak_kb = int(next(line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK")))
    return peak_kb / 1024, (done.stdout.strip() or done.stderr.strip())


def server_peak_mb(work: Path, files: list[Path], budget_mb: int, batched: bool = False
                   ) -> tuple[float, float, list[str]]:
    """(server RSS before, server peak RSS during four simultaneous uploads, results). ``batched``:
    the four in ONE batch request (import_paths, what `vault import` sends small files as)."""
    from server_api.cli.server import create_account
    from server_api.core.settings import settings
    from server_api.store.rest.client import RestVaultStore
    from server_api.store.sql.opening import open_server_store
    from server_api.workflows.importing import import_file, import_paths

    data = work / ("server_batched" if batched else "server")
    root = open_server_store(settings(), data)
    try:
        create_account(root, "bench", PASSWORD, admin=True)
    finally:
        root.close()
    port = free_port()
    os.environ["VAULT_DECODE_BUDGET_MB"] = str(budget_mb)  # the server child inherits it
    server = start_server(data, port, 1, None)
    peak = [0.0]
    stop = threading.Event()

    def watch() -> None:  # the server's and its workers' resident memory, summed, every 20 ms
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(server.pid))
            time.sleep(0.02)

    try:
        url = f"http://127.0.0.1:{port}"
        token = RestVaultStore.login(url, "bench", PASSWORD)
        time.sleep(1.0)
        idle = _tree_rss_mb(server.pid)
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        results: list[str] = []

        def send(path: Path) -> None:
            store = RestVaultStore(url, token=token)
            collection = store.find_collection("Crafted") if results else None
            collection = collection or _collection(store)
            result = import_file(store, collection.id, path)
            results.append(f"{path.name}: {result.status} {result.error or ''}".strip())
            store.close()

        def send_batch() -> None:
            store = RestVaultStore(url, token=token)
            for result in import_paths(store, _collection(store).id, files):
                results.append(f"{Path(result.path).name}: {result.status} {result.error or ''}".strip())
            store.close()

        threads = ([threading.Thread(target=send_batch)] if batched
                   else [threading.Thread(target=send, args=(f,)) for f in files])
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stop.set()
        watcher.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return idle, peak[0], results


_COLLECTION_LOCK = threading.Lock()


def _collection(store):
    with _COLLECTION_LOCK:
        try:
            return store.find_collection("Crafted")
        except Exception:  # noqa: BLE001 - not made yet
            return store.create_collection("Crafted")


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (uvicorn workers), MB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=16384)
    parser.add_argument("--budget-mb", type=int, default=512, help="VAULT_DECODE_BUDGET_MB for every run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as scratch:
        work = Path(scratch)
        sixteen = write_png(work / "gray16_16k.png", args.side, color_type=0, bit_depth=16)
        eight_k = write_png(work / "rgb_8k.png", args.side // 2, color_type=2, bit_depth=8)
        crafted = [write_png(work / f"palette_{i}.png", args.side, color_type=3, bit_depth=8, seed=i)
                   for i in range(4)]
        print(f"files: {sixteen.name} {sixteen.stat().st_size >> 20} MiB, {eight_k.name} "
              f"{eight_k.stat().st_size >> 20} MiB, 4 x palette {crafted[0].stat().st_size >> 10} KiB; "
              f"decode budget {args.budget_mb} MiB")
        for path, goal in ((sixteen, 500), (eight_k, 250)):
            started = time.perf_counter()
            peak, line = import_peak_mb(work / f"vault_{path.stem}", path, args.budget_mb)
            verdict = "meets" if peak <= goal else "misses"
            print(f"import {path.name}: peak RSS {peak:.0f} MB in {time.perf_counter() - started:.1f} s "
                  f"({verdict} the goal of {goal} MB) -- {line[:100]}")
        for batched, how in ((False, "4 uploads at once"), (True, "one batch request")):
            idle, peak, results = server_peak_mb(work, crafted, args.budget_mb, batched)
            limit = idle + args.budget_mb + 100
            verdict = "meets" if peak <= limit else "misses"
            print(f"server, 4 crafted palette PNGs, {how}: RSS {idle:.0f} MB idle, peak {peak:.0f} MB "
                  f"(+{peak - idle:.0f} MB; {verdict} idle + budget + 100 = {limit:.0f} MB)")
            for line in results:
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
