"""Regenerate the material screenshots in docs/screenshots/ (issue 12) from generated PBR sets.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/material_screenshots.py

Everything is real: two PBR sets (bricks and hammered metal: base colour, an OpenGL or DirectX
normal map made from a height field, roughness) and a lone texture are written to a folder, imported
and grouped into a local vault the way `vault import` does it, and the actual window is grabbed in
the Materials view with the Bricks material in the panel and the light dragged to its left; the lit
preview is saved on the plane and on the sphere side by side.
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
SIDE = 512


def normals_from_height(height: np.ndarray, strength: float, directx: bool = False) -> np.ndarray:
    dy, dx = np.gradient(height)
    n = np.dstack([-dx * strength, dy * strength * (-1 if directx else 1), np.ones_like(height)])
    n /= np.linalg.norm(n, axis=-1, keepdims=True)
    return (n + 1) / 2


def bricks(folder: Path) -> None:
    import texture_files as tf

    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
    row = (y // 64).astype(int)
    shifted = (x + (row % 2) * 64) % 128
    mortar = np.minimum(np.minimum(shifted, 128 - shifted) / 6, np.minimum(y % 64, 64 - y % 64) / 6)
    brick = np.clip(mortar, 0, 1)
    noise = tf.seamless(SIDE, SIDE, seed=3)[..., 0]
    height = brick * (0.8 + 0.2 * noise)
    tint = 0.85 + 0.3 * tf.seamless(SIDE, SIDE, seed=5)[..., :1]
    colour = brick[..., None] * np.array([0.62, 0.27, 0.18]) * tint + (1 - brick[..., None]) * 0.55
    tf.save_png(folder / "Bricks_BaseColor.png", np.clip(colour, 0, 1))
    tf.save_png(folder / "Bricks_Normal_GL.png", normals_from_height(height, 6.0))
    tf.save_png(folder / "Bricks_Roughness.png", np.repeat((0.55 + 0.4 * (1 - brick))[..., None], 3, -1))


def metal(folder: Path) -> None:
    import texture_files as tf

    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32) / SIDE
    dents = sum(np.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / 0.002)) for cx, cy in
                np.random.default_rng(4).random((40, 2)))
    height = 1 - np.clip(dents, 0, 1)
    grey = 0.55 + 0.1 * tf.seamless(SIDE, SIDE, seed=9)
    tf.save_png(folder / "metal_hammered_albedo.png", np.clip(grey * [0.9, 0.92, 0.95], 0, 1))
    tf.save_png(folder / "metal_hammered_nrm_dx.png", normals_from_height(height, 8.0, directx=True))
    rough = 0.25 + 0.2 * dents.clip(0, 1)
    tf.save_png(folder / "metal_hammered_rough.png", np.repeat(rough[..., None], 3, -1))


def main() -> int:
    import texture_files as tf
    from PySide6.QtWidgets import QApplication

    from server_api.store.sql.store import SqlVaultStore
    from server_api.workflows.importing import expand_paths, import_paths
    from server_api.workflows.material_import import group_imported
    from vault_desktop.main_window import MainWindow

    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="material_shots_"))
    art = folder / "art"
    art.mkdir()
    bricks(art)
    metal(art)
    tf.save_png(art / "sky_gradient.png", tf.hard_edge(SIDE, SIDE))  # a lone texture: no material
    store = SqlVaultStore.open_local(folder / "vault")
    collection = store.create_collection("Castle")
    results = import_paths(store, collection.id, expand_paths([art]))
    materials = group_imported(store, collection.id, results)
    bricks_id = next(m.id for m in materials if m.name == "Bricks")

    window = MainWindow()
    window.resize(1440, 860)
    window.show()
    window.set_store(store)

    def wait(condition, seconds: float = 20.0) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there")
            app.processEvents()
            time.sleep(0.02)

    window.refresh_collections(select_id=collection.id)
    wait(lambda: window.current_collection() is not None)
    window.materials.materials_button.click()
    wait(lambda: window.materials.grid.count() == 3)
    window.materials.grid.select_material(bricks_id)
    wait(lambda: window.materials.panel.material is not None and window.materials.panel.preview.has_maps())
    window.materials.panel.preview.move_light(-0.75, -0.55)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    window.grab().save(str(OUT / "material_grid.png"))
    window.materials.panel.grab().save(str(OUT / "material_panel.png"))
    save_lit_preview(window.materials.panel, OUT / "material_lit_preview.png")
    for name in ("material_grid.png", "material_panel.png", "material_lit_preview.png"):
        print(f"wrote docs/screenshots/{name}")
    window.lanes.wait(10_000)
    window.close()
    store.close()
    return 0


def save_lit_preview(panel, path: Path) -> None:
    """The lit preview twice, side by side: the maps on the plane, then on the sphere."""
    from PySide6.QtGui import QPainter, QPixmap

    panel.preview.resize(420, 420)
    plane = panel.preview.grab()
    panel.on_sphere.setChecked(True)
    sphere = panel.preview.grab()
    panel.on_sphere.setChecked(False)
    both = QPixmap(plane.width() + sphere.width(), max(plane.height(), sphere.height()))
    both.fill(panel.palette().window().color())
    painter = QPainter(both)
    painter.drawPixmap(0, 0, plane)
    painter.drawPixmap(plane.width(), 0, sphere)
    painter.end()
    both.save(str(path))


if __name__ == "__main__":
    sys.exit(main())
