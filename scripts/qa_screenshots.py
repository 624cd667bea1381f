"""Regenerate the QA screenshots in docs/screenshots/ (issue 13) from generated textures.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/qa_screenshots.py

Everything is real: textures from tests/texture_files.py (a clean seamless base colour, an odd-sized
albedo with an unused alpha channel, a ramp with a hard wrap edge, a real normal map and a greyscale
"normal" map) are imported into a local vault whose collection has QA rules; the main window shows
the grid's QA badges and the details of the worst texture, then the QA rules dialog is grabbed.
"""

from __future__ import annotations

import os
import shutil
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
RULES = ("power_of_two=error", "square", "unused_alpha", "normal_map=error", "seam=2:warning",
         "colour_space", "bit_depth.height=16,32:error")


def make_files(art: Path) -> None:
    import texture_files as tf

    tf.save_png(art / "plaster_basecolor.png", tf.seamless(512, 512, seed=1) * [0.9, 0.8, 0.7])
    opaque = np.ones((400, 600), np.float32)
    tf.save_png(art / "poster_albedo.png", tf.seamless(600, 400, seed=4) * [0.5, 0.6, 0.9], alpha=opaque)
    tf.save_png(art / "ramp_roughness.png", tf.hard_edge(512, 512))
    tf.save_png(art / "bricks_normal.png", tf.normal_map(512, 512))
    tf.save_png(art / "tiles_normal.png", tf.seamless(512, 512, seed=6)[:, :, :1].repeat(3, 2))
    tf.save_png(art / "cliff_height.png", tf.seamless(512, 512, seed=8)[:, :, :1].repeat(3, 2))


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from server_api.store.qa_rules import parse_setting
    from server_api.store.sql.store import SqlVaultStore
    from server_api.workflows.importing import expand_paths, import_paths
    from vault_desktop.main_window import MainWindow

    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="qa_shots_"))
    art = folder / "art"
    art.mkdir()
    make_files(art)
    store = SqlVaultStore.open_local(folder / "vault")
    collection = store.create_collection("Castle")
    store.set_qa_rules(collection.id, [parse_setting(s)[1] for s in RULES])
    results = import_paths(store, collection.id, expand_paths([art]))
    worst = next(r.texture_id for r in results if r.path.endswith("tiles_normal.png"))

    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    window.set_store(store)

    def wait(condition, seconds: float = 20.0) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there")
            app.processEvents()
            time.sleep(0.02)

    def settle() -> None:
        for _ in range(30):
            app.processEvents()
            time.sleep(0.02)

    window.refresh_collections(select_id=collection.id)
    wait(lambda: window.current_collection() is not None and window.grid_model.rowCount() == 6)
    window.select_texture(worst)
    detail = window.versions.detail
    wait(lambda: detail.texture is not None and detail.texture.id == worst)
    window.versions.open_details()
    settle()
    window.grab().save(str(OUT / "qa_badges.png"))
    dialog = window.qa_rules.open_rules()
    wait(lambda: dialog.rows["square"].on.isEnabled())
    settle()
    dialog.grab().save(str(OUT / "qa_rules_dialog.png"))
    for name in ("qa_badges.png", "qa_rules_dialog.png"):
        print(f"wrote docs/screenshots/{name}")
    dialog.close()
    window.lanes.wait(10_000)
    window.close()
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
