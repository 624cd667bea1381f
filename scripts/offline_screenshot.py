"""Regenerate docs/screenshots/offline_banner.png (issue 16): the window over a dead server, browsable.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/offline_screenshot.py

Everything is real: a `vault-server` child process gets a collection of generated seamless textures,
the window opens it (listing and thumbnails land in the kept copy), the server is killed (SIGKILL),
the banner appears, the filter box narrows the grid to "wall" on the kept copy, and the window is
grabbed.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = ROOT / "docs" / "screenshots"
NAMES = ["wall_plaster", "wall_bricks", "wall_tiles", "floor_oak", "floor_stone", "wall_concrete",
         "roof_slate", "wall_stucco", "ground_moss", "wall_panels", "metal_rust", "fabric_linen"]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="offline-shot-"))
    for name in ("DATA", "CONFIG", "CACHE"):
        (work / name.lower()).mkdir()
        os.environ[f"TEXTURE_VAULT_{name}_DIR"] = str(work / name.lower())
    from live_server import LiveServer
    from PySide6.QtWidgets import QApplication


    app = QApplication.instance() or QApplication([])
    server = LiveServer(work / "server", subprocess=True).start()
    try:
        return shoot(app, server, work)
    finally:
        server.stop()


def shoot(app, server, work: Path) -> int:
    import texture_files as tf

    from vault_desktop.main_window import MainWindow
    from vault_desktop.models.roles import ThumbnailRole

    token = server.add_user("rita", admin=True)
    store = server.store(token)
    coll = store.create_collection("Set dressing")
    (work / "in").mkdir()
    for i, name in enumerate(NAMES):
        path = tf.save_png(work / "in" / f"{name}.png", tf.seamless(256, 256, seed=i))
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        store.import_source(coll.id, path, original_path=str(path), sha256=sha)
    store.close()

    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    window.settings.remember_server(server.url, "rita", token)
    window.opener.open_uri(server.url)
    wait(app, lambda: window.grid_model.loaded_count() == len(NAMES))
    window.grid.viewport().repaint()
    wait(app, lambda: all(window.grid_model.index(i).data(ThumbnailRole) is not None
                          for i in range(len(NAMES))), seconds=20)
    server.kill()
    wait(app, window.banner.isVisible, seconds=15)
    window.filter_bar.text.setText("wall")
    wait(app, lambda: window.grid_model.rowCount() == sum(n.startswith("wall") for n in NAMES))
    window.select_texture(window.grid_model.row_at(1).texture_id)
    pause(app, 1.5)
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / "offline_banner.png"))
    print(f"saved {OUT / 'offline_banner.png'}: {window.banner.text()}")
    window.close()
    return 0


def wait(app, condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting after {seconds} s")
        app.processEvents()
        time.sleep(0.01)


def pause(app, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main())
