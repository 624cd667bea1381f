"""Offline bench (issue 16): how fast a restarted client shows a 10k-texture server collection from
its kept copy while the server is dead, and what keeping that copy costs.

    python bench/offline_bench.py [--textures 10000] [--rounds 5]

A real `vault-server serve` holds --textures textures in one collection; a client (open_store: the
cached face) lists the whole collection into its copy and fetches the first page's thumbnails; then
the server is killed. Measured with the server dead, each round a new store as after a restart:
  store   open_store -> list_collections -> first page (200) of list_textures, and its 200 thumbnails
  window  a MainWindow (offscreen Qt) told to open the URL -> the grid's first page shown
Goal (issue 16): the first page in <= 150 ms without the server. Figures printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server_bench import PASSWORD, free_port, launch_server, prepare_server  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textures", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="offline-bench-"))
    for name in ("DATA", "CONFIG", "CACHE"):
        (work / name.lower()).mkdir()
        os.environ[f"TEXTURE_VAULT_{name}_DIR"] = str(work / name.lower())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from server_api.store import open_store
    from server_api.store.rest.client import RestVaultStore

    started = time.perf_counter()
    collection = prepare_server(work / "server", args.textures, None)
    print(f"server data: {args.textures} textures in {time.perf_counter() - started:.1f} s")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = launch_server(work / "server", port, 1, {**os.environ, "PYTHONPATH": str(Path.cwd())})
    try:
        token = RestVaultStore.login(url, "bench", PASSWORD)
        store = open_store(url, token=token)
        store.current_user()  # as the app does when it opens a server (kept: the next start needs it)
        t0 = time.perf_counter()
        kept = store.sync_collection(collection)
        print(f"kept copy: {kept} textures listed into it in {time.perf_counter() - t0:.2f} s "
              f"({_size(work / 'cache') / 1e6:.1f} MB on disk)")
        first = store.list_textures(collection).items
        t0 = time.perf_counter()
        for t in first:
            store.version_thumbnail(t.current.id)
        print(f"first page's {len(first)} thumbnails fetched and kept in {time.perf_counter() - t0:.2f} s")
        store.close()
    finally:
        process.kill()
        process.wait()
    print("server killed")

    opens, thumbs = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        again = open_store(url, token=token)
        again.list_collections()
        page = again.list_textures(collection)
        opens.append(time.perf_counter() - t0)
        assert again.offline and len(page.items) == 200
        t0 = time.perf_counter()
        for t in page.items:
            again.version_thumbnail(t.current.id)
        thumbs.append(time.perf_counter() - t0)
        again.close()
    print(f"store, server dead: open + collections + first page median {ms(statistics.median(opens))}, "
          f"max {ms(max(opens))} over {args.rounds} restarts")
    print(f"store, server dead: the first page's 200 thumbnails from the copy median "
          f"{ms(statistics.median(thumbs))}")
    shown = _window_rounds(url, token, args.rounds)
    print(f"window, server dead: URL opened -> first page shown median {ms(shown)}")
    return 0


def _window_rounds(url: str, token: str, rounds: int) -> float:
    from PySide6.QtWidgets import QApplication

    from vault_desktop.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    times = []
    for _ in range(rounds):
        window = MainWindow()
        window.settings.remember_server(url, "bench", token)
        shown = []
        window.texturesShown.connect(lambda s=shown: s.append(time.perf_counter()))
        t0 = time.perf_counter()
        window.opener.open_uri(url)
        deadline = time.monotonic() + 30
        while not shown and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.001)
        times.append(shown[0] - t0 if shown else float("inf"))
        window.close()
        window.deleteLater()
        app.processEvents()
    return statistics.median(times)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


if __name__ == "__main__":
    sys.exit(main())
