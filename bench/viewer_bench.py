"""Viewer benchmark: an 8K PNG and a 16K 16-bit PNG in a local vault, opened in the real viewer.

Prints per texture: time to the first view (thumbnail proxy up), time to full resolution (every
pixel decoded, the pyramid built and the 100% tiles painted), GUI-thread paint time per frame while
panning at 100% and in 3×3 tiling (p95), and the viewer process's peak RSS against the decoded size;
then where the full-resolution time goes (decode, pyramid, seam score, normal check + histogram).
The file is written, imported, viewed and profiled each in its own process (Linux carries a
parent's peak RSS into a child, so the viewer's peak is its own only this way). Figures only, no asserts.

    .venv/bin/python bench/viewer_bench.py                 # 8K and 16K (the 16K file takes a while to write)
    .venv/bin/python bench/viewer_bench.py --only 8k
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = {"8k": (8192, 8, "uint8"), "16k": (16384, 16, "uint16")}


def make_file(folder: Path, side: int, pixel_type: str) -> Path:
    import numpy as np
    import OpenImageIO as oiio

    path = folder / f"bench_{side}_{pixel_type}.png"
    if path.exists():
        return path
    full = 255 if pixel_type == "uint8" else 65535
    spec = oiio.ImageSpec(side, side, 3, pixel_type)
    spec.attribute("png:compressionLevel", 1)
    out = oiio.ImageOutput.create(str(path))
    out.open(str(path), spec)
    rows = 512
    x = np.linspace(0, 6.28 * 8, side, dtype=np.float32)
    for y in range(0, side, rows):  # written in strips: the generator never holds the whole picture
        yy = np.arange(y, y + rows, dtype=np.float32)[:, None] * (6.28 * 8 / side)
        band = (np.sin(x[None, :] + yy) * 0.5 + 0.5)[:, :, None] * np.array([1.0, 0.7, 0.4], np.float32)
        out.write_scanlines(y, y + rows, 0, (band * full).astype(pixel_type))
    out.close()
    return path


def import_case(path: str) -> dict:
    """Import ``path`` into a new local vault (in its own process: its memory is not the viewer's)."""
    from server_api.store.sql.store import SqlVaultStore
    from server_api.workflows.importing import import_file

    folder = Path(tempfile.mkdtemp(prefix="viewer_bench_"))
    store = SqlVaultStore.open_local(folder / "vault")
    collection = store.create_collection("Bench")
    started = time.perf_counter()
    texture_id = import_file(store, collection.id, path).texture_id
    seconds = time.perf_counter() - started
    store.close()
    return {"vault": str(folder / "vault"), "texture_id": texture_id, "import_s": seconds,
            "import_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def profile_case(path: str) -> dict:
    """The viewer's load job phase by phase (what loading.load_texture runs off the GUI thread)."""
    from server_api.imaging.histogram import histogram
    from server_api.imaging.normals import check_normal_map
    from server_api.imaging.pixels import decode_pixels
    from server_api.imaging.pyramid import Pyramid
    from server_api.imaging.seams import seam_score
    from server_api.workflows.version_pixels import seam_level

    times = {}
    started = time.perf_counter()
    pixels = decode_pixels(path)
    times["decode_s"] = time.perf_counter() - started
    pyramid = Pyramid(pixels.array)
    times["pyramid_s"] = time.perf_counter() - started - sum(times.values())
    level = seam_level(pyramid)
    w, h = pyramid.size(level)
    seam_score(pyramid.block(level, 0, 0, w, h))
    times["seam_s"] = time.perf_counter() - started - sum(times.values())
    check_normal_map(pyramid.smallest())
    histogram(pyramid.smallest(), pixels.channels)
    times["normal_histogram_s"] = time.perf_counter() - started - sum(times.values())
    return times


def run_case(vault: str, texture_id: int) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from server_api.store.sql.store import SqlVaultStore
    from vault_desktop.tasks import Lanes
    from vault_desktop.viewer import ViewerItem, open_viewer

    app = QApplication([])
    store = SqlVaultStore.open_local(Path(vault))
    texture = store.get_texture(texture_id)
    lanes = Lanes()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def wait(*signals, timeout_ms=300_000):
        loop = QEventLoop()
        for signal in signals:
            signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    started = time.perf_counter()
    viewer = open_viewer(store, lanes.reads, [ViewerItem.of_version(texture.current, texture.name)])
    viewer.resize(1440, 900)
    wait(viewer.proxyShown)
    first_view = time.perf_counter() - started
    failures: list[BaseException] = []
    viewer.failed.connect(failures.append)
    wait(viewer.loaded, viewer.failed)
    if viewer.texture is None:  # the viewer said why (or the wait timed out): no figures to print
        raise SystemExit(f"the viewer did not load the texture: {failures[0] if failures else 'timed out'}")
    viewer.canvas.actual_size()
    def painted() -> bool:
        keys = viewer.canvas.visible_keys()
        return not viewer.tiles.pending_count() and all(viewer.tiles.is_fresh(k) for k in keys)

    while not painted():
        viewer.canvas.repaint()
        app.processEvents()
        time.sleep(0.002)
    full_resolution = time.perf_counter() - started

    def pan_frames(frames: int, dx: float) -> list[float]:
        times = []
        for i in range(frames):
            viewer.canvas.pan(dx if (i // 100) % 2 == 0 else -dx, 7 if i % 2 else -7)
            t = time.perf_counter()
            viewer.canvas.repaint()
            app.processEvents()
            times.append(time.perf_counter() - t)
        return sorted(times)

    at_100 = pan_frames(400, 40)
    viewer.set_repeat(3)
    viewer.canvas.fit()
    viewer.canvas.zoom_at(viewer.canvas.rect().center(), 2.0)
    tiled = pan_frames(400, 40)
    lanes.wait(60_000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    px = viewer.texture.pixels
    result = {
        "texture": f"{px.width}x{px.height} {px.array.dtype} {px.channels}",
        "first_view_ms": first_view * 1000, "full_resolution_s": full_resolution,
        "pan_100_p95_ms": at_100[int(len(at_100) * 0.95)] * 1000,
        "pan_3x3_p95_ms": tiled[int(len(tiled) * 0.95)] * 1000,
        "decoded_mb": px.nbytes / 2**20, "pyramid_extra_mb": viewer.texture.pyramid.extra_bytes / 2**20,
        "rss_before_open_mb": rss_before / 2**20, "peak_rss_mb": peak / 2**20,
    }
    viewer.close()
    store.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(CASES))
    parser.add_argument("--keep", type=Path, help="folder for the generated files (reused when present)")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)  # internal: one step in this process
    args = parser.parse_args()
    if args.step:
        step, *rest = args.step
        result = {"make": lambda: {"path": str(make_file(Path(rest[0]), int(rest[1]), rest[2]))},
                  "import": lambda: import_case(rest[0]), "profile": lambda: profile_case(rest[0]),
                  "view": lambda: run_case(rest[0], int(rest[1]))}[step]()
        print(json.dumps(result))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="viewer_bench_files_"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, (side, _bits, pixel_type) in CASES.items():
        if args.only and name != args.only:
            continue
        made = _step(name, "make", folder, side, pixel_type)  # in a child: its memory is not inherited
        imported = made and _step(name, "import", made["path"])
        viewed = imported and _step(name, "view", imported["vault"], imported["texture_id"])
        phases = viewed and _step(name, "profile", made["path"])
        if not phases:
            continue
        r = {**imported, **viewed}
        print(f"{name} ({r['texture']}, {r['decoded_mb']:.0f} MB decoded): "
              f"first view {r['first_view_ms']:.0f} ms"
              f" (goal <= 300) | full resolution {r['full_resolution_s']:.2f} s | pan at 100% p95 "
              f"{r['pan_100_p95_ms']:.1f} ms, 3x3 p95 {r['pan_3x3_p95_ms']:.1f} ms (goal <= 16) | "
              f"viewer peak RSS {r['peak_rss_mb']:.0f} MB = "
              f"{r['peak_rss_mb'] / r['decoded_mb']:.2f}x decoded (goal <= 1.5x; "
              f"{r['rss_before_open_mb']:.0f} MB before opening, pyramid +{r['pyramid_extra_mb']:.0f} MB)")
        print("    load phases: " + ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in phases.items())
              + f" | import (own process) {r['import_s']:.1f} s, peak RSS {r['import_peak_rss_mb']:.0f} MB")


def _step(name: str, *args) -> dict | None:
    command = [sys.executable, __file__, "--step", *map(str, args)]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode:
        print(f"{name}: {args[0]} failed\n{out.stderr[-2000:]}")
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
