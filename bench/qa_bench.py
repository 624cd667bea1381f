"""QA rules benchmark (issue 13): what the rules cost at import and when they change.

Prints, on a local vault:
- importing N distinct 1024² PNGs with no rules, with metadata rules only, and with the pixel rules
  (unused alpha, normal map, seam: read from the decode that makes the thumbnail, box-reduced to 512 px);
- the per-file CPU time (process_time: every thread's, so it means something on a loaded machine) of
  importing 2048² PNGs with no rules and with the pixel rules, and what the pixel rules add per file;
- set_qa_rules over those N textures: metadata rules only, then with pixel rules;
- set_qa_rules over BIG textures made by bulk_add (one shared source: metadata rules only, the
  case of a big collection), and the listing with qa:errors against the plain listing.
Figures only, no asserts.

    .venv/bin/python bench/qa_bench.py [--files 60] [--big 20000] [--files-2k 12]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

META = ("power_of_two=error", "square", "max_side=4096", "colour_space", "bit_depth.height=16,32:error")
PIXELS = ("unused_alpha", "normal_map=error", "seam=2:warning")


def rules(*settings):
    from server_api.store.qa_rules import parse_setting

    return [parse_setting(s)[1] for s in settings]


def make_files(folder: Path, count: int) -> list[Path]:
    import texture_files as tf

    folder.mkdir()
    roles = ("basecolor", "normal", "roughness", "height")
    return [tf.save_png(folder / f"tex{i:04d}_{roles[i % 4]}.png", tf.seamless(1024, 1024, seed=i))
            for i in range(count)]


def timed_import(folder: Path, files, settings) -> tuple[float, object, int]:
    """A fresh vault each time: bytes a vault already holds skip the analysis."""
    seconds, _cpu, store, coll_id = cpu_timed_import(folder, files, settings)
    return seconds, store, coll_id


def cpu_timed_import(folder: Path, files, settings) -> tuple[float, float, object, int]:
    """Wall and CPU seconds (all threads) of importing ``files`` into a fresh vault."""
    from server_api.store.sql.store import SqlVaultStore
    from server_api.workflows.importing import import_paths

    store = SqlVaultStore.open_local(folder)
    coll = store.create_collection("bench")
    store.set_qa_rules(coll.id, rules(*settings))
    start, cpu = time.perf_counter(), time.process_time()
    import_paths(store, coll.id, files)
    return time.perf_counter() - start, time.process_time() - cpu, store, coll.id


def cpu_per_file_2k(folder: Path, count: int) -> None:
    """Per-file CPU of 2048² PNG imports with and without the pixel rules (the issue-13 figure: the
    rules used to decode every file a second time)."""
    import os

    import texture_files as tf

    (folder / "in2k").mkdir()
    files = [tf.save_png(folder / "in2k" / f"wall{i:03d}_roughness.png", tf.seamless(2048, 2048, seed=i))
             for i in range(count)]
    print(f"import {count} distinct 2048x2048 PNGs (load {os.getloadavg()[0]:.1f}): per file")
    cpu_of = {}
    for round_ in range(2):  # twice, alternating, so a load change hits both alike
        for label, settings in (("no rules", ()), ("pixel rules", PIXELS)):
            seconds, cpu, store, _ = cpu_timed_import(folder / f"vault2k-{round_}-{len(settings)}", files,
                                                      settings)
            store.close()
            cpu_of.setdefault(label, []).append(cpu / count * 1000)
            print(f"  {label:<12} wall {seconds / count * 1000:6.1f} ms  CPU {cpu / count * 1000:6.1f} ms")
    extra = min(cpu_of["pixel rules"]) - min(cpu_of["no rules"])
    print(f"  the pixel rules add {extra:.1f} ms CPU per file (best of 2 each; "
          f"load {os.getloadavg()[0]:.1f} after)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--big", type=int, default=20_000)
    parser.add_argument("--files-2k", type=int, default=12)
    parser.add_argument("--only-2k", action="store_true", help="only the 2048² per-file CPU figure")
    args = parser.parse_args()

    from server_api.store.entities import TextureQuery
    from server_api.store.sql.bulk import BulkTexture

    folder = Path(tempfile.mkdtemp(prefix="qa_bench_"))
    cpu_per_file_2k(folder, args.files_2k)
    if args.only_2k:
        shutil.rmtree(folder, ignore_errors=True)
        return 0
    files = make_files(folder / "in", args.files)
    n = len(files)
    print(f"import {n} distinct 1024x1024 PNGs into a fresh vault")
    for i, (label, settings) in enumerate((("no rules", ()), ("metadata rules", META),
                                           ("metadata + pixel rules", META + PIXELS))):
        seconds, store, coll_id = timed_import(folder / f"vault{i}", files, settings)
        print(f"  {label:<24} {seconds:6.2f} s  ({seconds / n * 1000:6.1f} ms per file)")
        if i:
            store.close()
        else:
            kept = store, coll_id
    store, coll_id = kept
    for label, settings in (("metadata rules", META), ("metadata + pixel rules", META + PIXELS)):
        start = time.perf_counter()
        store.set_qa_rules(coll_id, rules(*settings))
        seconds = time.perf_counter() - start
        print(f"set_qa_rules, {n} textures, {label:<24} {seconds:6.2f} s ({seconds / n * 1000:5.1f} ms each)")

    big = store.create_collection("big")
    names = (f"/art/t{i:06d}_{'normal' if i % 3 else 'albedo'}.png" for i in range(args.big))
    store.bulk_add_textures(big.id, (BulkTexture(name) for name in names), files[0])
    start = time.perf_counter()
    store.set_qa_rules(big.id, rules("power_of_two=error", "max_side=512:warning", "colour_space"))
    print(f"set_qa_rules, {args.big} textures, metadata rules: {time.perf_counter() - start:.2f} s")
    for text in ("", "qa:errors", "qa:warnings", "qa:none"):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            page = store.list_textures(big.id, TextureQuery(text=text), limit=200)
            times.append((time.perf_counter() - start) * 1000)
        print(f"  first page of {text or 'everything':<12} {statistics.median(times):6.1f} ms median "
              f"({len(page.items)} items)")
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
