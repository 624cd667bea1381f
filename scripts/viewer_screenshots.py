"""Regenerate the viewer screenshots in docs/screenshots/ (issue 13) from generated textures.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/viewer_screenshots.py

Everything is real: the textures (tests/texture_files.py generators: a ramp with a hard wrap edge,
an RGBA decal, a half-float EXR sky with values above 1) are imported into a local vault, opened in
the actual viewer, and the window is grabbed once every tile is painted.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = ROOT / "docs" / "screenshots"


def make_files(folder: Path) -> dict[str, Path]:
    import texture_files as tf

    side = 512
    edge = tf.save_png(folder / "plaster_ramp.png", tf.hard_edge(side, side))
    y, x = np.mgrid[0:side, 0:side].astype(np.float32) / side
    round_mask = np.clip(1.6 - 4.0 * np.hypot(x - 0.5, y - 0.5), 0.0, 1.0)  # a soft round decal
    decal = tf.save_png(folder / "leaf_decal.png", tf.seamless(side, side, seed=7) * [0.5, 0.9, 0.3],
                        alpha=round_mask)
    sky = tf.seamless(1024, 512, seed=11) * [0.6, 0.8, 1.4]
    yy, xx = np.mgrid[0:512, 0:1024].astype(np.float32)
    distance = ((xx - 700) / 40) ** 2 + ((yy - 160) / 40) ** 2
    sun = 60.0 * np.exp(-distance)[:, :, None]  # a bright sun: values far above 1, what exposure is for
    hdr = tf.save_exr(folder / "sky_1k.exr", sky * 2.0 + sun, "half")
    return {"edge": edge, "decal": decal, "hdr": hdr}


def main() -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from server_api.store.sql.store import SqlVaultStore
    from server_api.workflows.importing import import_file
    from vault_desktop.tasks import Lanes
    from vault_desktop.viewer import ViewerItem, open_viewer

    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="viewer_shots_"))
    files = make_files(folder)
    store = SqlVaultStore.open_local(folder / "vault")
    collection = store.create_collection("Viewer")
    lanes = Lanes()

    def shot(key: str, out_name: str, setup) -> None:
        texture = store.get_texture(import_file(store, collection.id, files[key]).texture_id)
        viewer = open_viewer(store, lanes.reads, [ViewerItem.of_version(texture.current, texture.name)])
        viewer.resize(1280, 760)
        viewer.show()
        loop = QEventLoop()
        viewer.loaded.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        setup(viewer)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until every visible tile is painted at its level
            app.processEvents()
            keys = viewer.canvas.visible_keys()
            if not viewer.tiles.pending_count() and all(viewer.tiles.is_fresh(k) for k in keys):
                break
            time.sleep(0.02)
        viewer.canvas.repaint()
        app.processEvents()
        viewer.grab().save(str(OUT / out_name))
        print(f"wrote docs/screenshots/{out_name}")
        viewer.close()

    def tiled(viewer) -> None:
        viewer.set_repeat(3)
        viewer.canvas.fit()

    def alpha(viewer) -> None:
        viewer.canvas.fit()

    def exposure(viewer) -> None:
        viewer.set_exposure(-1.5)
        viewer.canvas.fit()

    shot("edge", "viewer_tiling_seam.png", tiled)
    shot("decal", "viewer_alpha.png", alpha)
    shot("hdr", "viewer_exr_exposure.png", exposure)
    lanes.wait(10_000)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
