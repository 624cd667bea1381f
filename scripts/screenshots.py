"""Regenerate the desktop screenshots in docs/screenshots/ from a vault of procedural textures.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py

Everything is real: textures are generated with Pillow, imported through the store, given versions
and published, then the actual main window, timeline and compare dialog are grabbed.
"""

from __future__ import annotations

import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = ROOT / "docs" / "screenshots"
SIDE = 512


# ---- procedural textures -------------------------------------------------------------------------
def clouds(seed: int, scale: int = 8, octaves: int = 5) -> Image.Image:
    """Fractal noise: several blurred noise layers from coarse to fine, as greyscale."""
    rnd = random.Random(seed)
    out = Image.new("L", (SIDE, SIDE), 128)
    weight = 0.55
    for octave in range(octaves):
        size = max(2, scale << octave)
        layer = Image.effect_noise((size, size), 80).resize((SIDE, SIDE), Image.Resampling.BICUBIC)
        layer = layer.rotate(rnd.choice((0, 90, 180, 270)))
        out = Image.blend(out, layer, weight)
        weight *= 0.6
    return ImageOps.autocontrast(out, cutoff=1)


def colorize(gray: Image.Image, dark: str, light: str, mid: str | None = None) -> Image.Image:
    return ImageOps.colorize(gray, black=dark, white=light, mid=mid).convert("RGB")


def normal_map(height: Image.Image, strength: float = 2.0) -> Image.Image:
    """Tangent-space normal map from a height field (the lilac look every artist recognises)."""
    h = height.convert("L").filter(ImageFilter.GaussianBlur(1))
    dx = h.filter(ImageFilter.Kernel((3, 3), [-1, 0, 1, -2, 0, 2, -1, 0, 1], 8 / strength, 128))
    dy = h.filter(ImageFilter.Kernel((3, 3), [-1, -2, -1, 0, 0, 0, 1, 2, 1], 8 / strength, 128))
    return Image.merge("RGB", (ImageOps.invert(dx), dy, Image.new("L", h.size, 240)))


def bricks(seed: int, mortar: str = "#b9b1a6", tones=("#8e3b2a", "#a84a33", "#7a3324", "#b5573b")):
    rnd = random.Random(seed)
    albedo = Image.new("RGB", (SIDE, SIDE), mortar)
    height = Image.new("L", (SIDE, SIDE), 40)
    da, dh = ImageDraw.Draw(albedo), ImageDraw.Draw(height)
    bw, bh, gap = 96, 40, 6
    for row in range(SIDE // bh + 1):
        shift = (bw // 2) * (row % 2)
        for col in range(-1, SIDE // bw + 1):
            x, y = col * bw + shift, row * bh
            box = (x + gap // 2, y + gap // 2, x + bw - gap // 2, y + bh - gap // 2)
            da.rectangle(box, fill=rnd.choice(tones))
            dh.rectangle(box, fill=200 + rnd.randrange(40))
    grit = clouds(seed + 1, scale=32, octaves=3)
    albedo = ImageChops.multiply(albedo, colorize(grit, "#8c8c8c", "#ffffff"))
    height = ImageChops.add(height.filter(ImageFilter.GaussianBlur(1.5)), grit.point(lambda v: v // 6))
    return albedo, height


def tiles(seed: int, tones=("#e8e4dc", "#dcd6cb", "#efece6"), grout: str = "#6f6a64", size: int = 128):
    rnd = random.Random(seed)
    albedo = Image.new("RGB", (SIDE, SIDE), grout)
    height = Image.new("L", (SIDE, SIDE), 30)
    da, dh = ImageDraw.Draw(albedo), ImageDraw.Draw(height)
    for y in range(0, SIDE, size):
        for x in range(0, SIDE, size):
            box = (x + 4, y + 4, x + size - 4, y + size - 4)
            da.rounded_rectangle(box, 6, fill=rnd.choice(tones))
            dh.rounded_rectangle(box, 6, fill=220)
    speckle = clouds(seed, scale=64, octaves=2)
    albedo = ImageChops.multiply(albedo, colorize(speckle, "#d0d0d0", "#ffffff"))
    return albedo, height.filter(ImageFilter.GaussianBlur(2))


def wood(seed: int, dark="#4a2a14", light="#b07a45"):
    rnd = random.Random(seed)
    streaks = Image.effect_noise((24, SIDE), 90).resize((SIDE, SIDE), Image.Resampling.BICUBIC)
    rings = Image.linear_gradient("L").rotate(90).resize((SIDE, SIDE))
    lut = [int(128 + 127 * math.sin(v / 255 * math.pi * (14 + rnd.random() * 6))) for v in range(256)]
    rings = ImageChops.add(rings, streaks, scale=2.0).point(lut)
    grain = Image.blend(rings, Image.effect_noise((SIDE, SIDE), 30).filter(ImageFilter.BoxBlur(1)), 0.25)
    planks = Image.new("L", (SIDE, SIDE), 255)
    d = ImageDraw.Draw(planks)
    for x in range(0, SIDE, 128):
        d.line([(x, 0), (x, SIDE)], fill=40, width=3)
    gray = ImageChops.multiply(grain, planks)
    return colorize(gray, dark, light, mid="#7d4f2a"), gray


def brushed_metal(seed: int, dark="#5d646c", light="#c9d0d8"):
    streaks = Image.effect_noise((SIDE, 6), 70).resize((SIDE, SIDE), Image.Resampling.BICUBIC)
    fine = Image.effect_noise((SIDE, SIDE), 40).filter(ImageFilter.BoxBlur(1)).resize(
        (SIDE * 4, SIDE)).resize((SIDE, SIDE))
    gray = Image.blend(streaks, fine, 0.35)
    gray = ImageChops.add(gray, Image.linear_gradient("L").resize((SIDE, SIDE)).point(lambda v: v // 5))
    return colorize(ImageOps.autocontrast(gray), dark, light), gray


def ground(seed: int, dark: str, light: str, mid: str):
    gray = clouds(seed, scale=6, octaves=6)
    return colorize(gray, dark, light, mid=mid), gray


TEXTURES = {  # collection → [(file name, maker)]
    "Castle exterior": [
        ("brick_wall", lambda s: bricks(s)),
        ("old_brick_wall", lambda s: bricks(s, tones=("#6b4a3a", "#7c5847", "#5e4032"))),
        ("ceramic_tiles", lambda s: tiles(s)),
        ("terracotta_tiles", lambda s: tiles(s, ("#b8643c", "#a9583a", "#c7764a"), "#4a3b33", 96)),
        ("concrete_floor", lambda s: ground(s, "#3e3e3c", "#c2c0ba", "#85837e")),
        ("moss_ground", lambda s: ground(s, "#1f2e12", "#8fb04a", "#4f6b26")),
    ],
    "Workshop props": [
        ("oak_planks", lambda s: wood(s)),
        ("walnut_veneer", lambda s: wood(s, "#2a170c", "#7a4a28")),
        ("brushed_steel", lambda s: brushed_metal(s)),
        ("rusty_iron", lambda s: ground(s, "#3a1e10", "#c0692e", "#7a3a1a")),
        ("sand_dunes", lambda s: ground(s, "#8a6a3c", "#f0d9a8", "#c8a76c")),
        ("slate_roof", lambda s: tiles(s, ("#3d444c", "#474f58", "#353b42"), "#23272b", 64)),
    ],
}


def write_set(folder: Path, name: str, maker, seed: int) -> list[Path]:
    albedo, height = maker(seed)
    paths = [folder / f"{name}_albedo.png", folder / f"{name}_normal.png", folder / f"{name}_roughness.png"]
    albedo.save(paths[0])
    normal_map(height).save(paths[1])
    ImageOps.invert(height.convert("L")).save(paths[2])
    return paths


# ---- the vault and the window --------------------------------------------------------------------
def build_vault(tmp: Path):
    from server_api.store.sql.store import SqlVaultStore
    from server_api.workflows.importing import import_file
    from server_api.workflows.publish_roots import PublishRoots
    from server_api.workflows.publishing import publish

    store = SqlVaultStore.open_local(tmp / "vault")
    art = tmp / "projects" / "castle" / "textures"
    art.mkdir(parents=True)
    ids = {}
    for c, (coll_name, sets) in enumerate(TEXTURES.items()):
        coll = store.create_collection(coll_name)
        for i, (name, maker) in enumerate(sets):
            for path in write_set(art, name, maker, seed=100 * c + i):
                ids[path.name] = import_file(store, coll.id, path).texture_id
    store.create_user("maya", None, display_name="Maya")
    store.set_grant(store.find_collection("Castle exterior").id, "maya", "write")
    maya = store.for_user("maya")
    lib = maya.create_collection("Studio library")
    maya.set_grant(lib.id, store.current_user().username, "read")
    for i, (name, maker) in enumerate(TEXTURES["Workshop props"][:3]):
        for path in write_set(art, f"library_{name}", maker, seed=500 + i):
            import_file(maya, lib.id, path)
    brick = ids["brick_wall_albedo.png"]
    v1 = Image.open(art / "brick_wall_albedo.png").convert("RGB")
    warmer = ImageChops.multiply(v1, Image.new("RGB", v1.size, "#fff0dc"))  # a retouch, not a new wall
    cleaner = ImageEnhance.Contrast(warmer).enhance(1.12).filter(ImageFilter.UnsharpMask(1.5, 60, 2))
    for image, note in ((warmer, "warmer mortar"), (cleaner, "less grime, sharper edges")):
        path = art / f"brick_wall_{len(note)}.png"
        image.save(path)
        store.add_version(brick, str(path), note=note)
    roots = PublishRoots.load(store.uri, config_dir=tmp / "config")  # the artist approved this folder
    roots.approve(art)
    publish(store, brick, roots=roots)
    return store, brick


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tv-shots-") as tmp:
        for name in ("DATA", "CONFIG", "CACHE"):
            os.environ[f"TEXTURE_VAULT_{name}_DIR"] = str(Path(tmp) / name.lower())
        store, brick = build_vault(Path(tmp))
        return grab(store, brick)


def grab(store, brick_id: int) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QDockWidget

    from vault_desktop.main_window import MainWindow
    from vault_desktop.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    OUT.mkdir(parents=True, exist_ok=True)

    def spin(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    for theme in ("dark", "light"):
        apply_theme(app, theme)
        window = MainWindow()
        window.resize(1480, 940)
        window.show()
        for dock in window.findChildren(QDockWidget):  # the upload pane, kept small in the pictures
            window.resizeDocks([dock], [150], Qt.Orientation.Vertical)
        window.grid.set_zoom(176)
        window.set_store(store)
        spin(1.0)
        window.refresh_collections(select_id=store.find_collection("Castle exterior").id)
        spin(1.5)
        window.select_texture(brick_id)
        spin(2.0)
        window.grid.viewport().repaint()
        spin(1.0)
        suffix = "" if theme == "dark" else "_light"
        window.grab().save(str(OUT / f"main_window{suffix}.png"))
        if theme == "dark":
            window.side_tabs.setCurrentWidget(window.timeline)
            spin(1.0)
            window.grab().save(str(OUT / "timeline.png"))
            versions = [window.timeline_model.version_at(r) for r in range(window.timeline_model.rowCount())]
            ordered = sorted(versions, key=lambda v: v.number)
            older, newer = ordered[0], ordered[-1]  # the first version against the current one
            dialog = window.compare.open(older, newer)
            dialog.resize(1280, 760)
            spin(1.5)
            dialog.set_mode("Swipe")
            dialog.fit()
            spin(0.5)
            dialog.grab().save(str(OUT / "compare.png"))
            dialog.set_mode("Side by side")
            dialog.fit()
            spin(0.5)
            dialog.grab().save(str(OUT / "compare_side_by_side.png"))
            dialog.close()
        window.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
