"""Regenerate the review screenshots in docs/screenshots/ (issue 16) from a real server session.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/review_screenshots.py

Everything is real: a live server on 127.0.0.1 (tests/live_server.py), three people on it; olivia
imports generated textures, rita (read level) comments on regions, adam (admin) requests changes and
adds a version. Then olivia's window: the viewer with the commented regions drawn over the image and
a new region being commented, the timeline with its comments and the tiles' review badges, and the
bell's list of notifications (the popup is a window of its own: it is painted onto the main window).
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
os.environ.setdefault("VAULT_PASSWORD_HASH", "cheap")
OUT = ROOT / "docs" / "screenshots"


def make_files(folder: Path) -> list[Path]:
    import texture_files as tf

    looks = {"brick_wall_albedo.png": [1.0, 0.55, 0.4], "mossy_stone_albedo.png": [0.5, 0.8, 0.45],
             "plaster_albedo.png": [0.95, 0.9, 0.8], "rusty_metal_albedo.png": [0.85, 0.45, 0.2]}
    return [tf.save_png(folder / name, tinted(tf, i, tint)) for i, (name, tint) in enumerate(looks.items())]


def tinted(tf, seed: int, tint: list[float]) -> np.ndarray:
    """Seamless grey noise in one colour: reads as a material, not a rainbow."""
    grey = tf.seamless(512, 512, seed=seed).mean(axis=2, keepdims=True)
    return np.clip((0.35 + 0.9 * grey) * np.array(tint), 0, 1)


def wait(app, until, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    if not until():
        raise SystemExit("timed out waiting for the window")


def main() -> int:
    import texture_files as tf
    from live_server import LiveServer
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from server_api.store.review_entities import Region
    from vault_desktop.main_window import MainWindow

    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="review_shots_"))
    files = make_files(folder)
    with LiveServer(folder / "server") as server:
        server.add_user("root", admin=True)
        olivia, rita, adam = (server.store(server.add_user(n)) for n in ("olivia", "rita", "adam"))
        coll = olivia.create_collection("Brickwork")
        olivia.set_grant(coll.id, "rita", "read")
        olivia.set_grant(coll.id, "adam", "admin")
        textures = [olivia.add_texture(coll.id, str(p), original_path=f"/art/{p.name}") for p in files]
        brick, stone = textures[0], textures[1]
        rita.add_comment(brick.current.id, "The mortar lines drift here: the tiling shows a seam",
                         Region(0.62, 0.08, 0.3, 0.28))
        rita.add_comment(brick.current.id, "This patch reads too flat next to the rest",
                         Region(0.1, 0.55, 0.35, 0.3))
        adam.add_comment(brick.current.id, "Agree with Rita; fix both before the lookdev review")
        adam.set_review_status(brick.current.id, "changes_requested")
        adam.set_review_status(textures[2].current.id, "approved")
        olivia.set_review_required(coll.id, True)
        adam.add_version(stone.id, str(tf.save_png(folder / "stone_v2.png", tinted(tf, 9, [0.5, 0.75, 0.5]))))
        rita.add_comment(olivia.list_versions(stone.id)[0].id, "Much better moss, thanks!")

        window = MainWindow()
        window.resize(1440, 860)
        window.show()
        window.set_store(olivia)
        window.refresh_collections(select_id=coll.id)
        wait(app, lambda: window.grid_model.loaded_count() == 4)
        window.select_texture(brick.id)
        window.versions.open_timeline()
        wait(app, lambda: window.review.panel.comments.count() == 3)
        wait(app, lambda: len(window.grid.itemDelegate().review_badges) == 3)
        window.notifications.refresh()
        wait(app, lambda: window.notifications.bell.unread > 0)
        for _ in range(30):
            app.processEvents()
            time.sleep(0.02)
        window.grab().save(str(OUT / "review_timeline.png"))
        print("wrote docs/screenshots/review_timeline.png")

        bell = window.notifications.bell
        bell.open_popup()
        wait(app, lambda: bell.popup.list.count() > 0)
        app.processEvents()
        shot = window.grab()
        painter = QPainter(shot)
        painter.drawPixmap(window.mapFromGlobal(bell.popup.pos()), bell.popup.grab())
        painter.end()
        shot.save(str(OUT / "notifications_list.png"))
        print("wrote docs/screenshots/notifications_list.png")
        bell.popup.hide()

        viewer = window.viewer.open_texture(brick.id)
        viewer.resize(1280, 800)
        wait(app, lambda: viewer.texture is not None and len(viewer.comments.overlay.regions) == 2, 60)
        pane, overlay = viewer.comments, viewer.comments.overlay
        overlay.pending = Region(0.42, 0.4, 0.18, 0.16)  # what a drag leaves before the comment is sent
        pane.text.setPlainText("Crack here looks painted on")
        pane._describe_region()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            app.processEvents()
            keys = viewer.canvas.visible_keys()
            if not viewer.tiles.pending_count() and all(viewer.tiles.is_fresh(k) for k in keys):
                break
            time.sleep(0.02)
        viewer.canvas.repaint()
        app.processEvents()
        viewer.grab().save(str(OUT / "review_region_comment.png"))
        print("wrote docs/screenshots/review_region_comment.png")
        viewer.close()
        window.close()
        for store in (rita, adam):
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
