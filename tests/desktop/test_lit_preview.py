"""The CPU lit preview: shading follows the light and the normal map's convention; dragging in the
widget moves the light and changes the picture."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from vault_desktop.views.lit_preview import BACKDROP, LitPreview, shade
from vault_desktop.views.material_panel import MaterialPanel


def bumps(side: int = 64) -> np.ndarray:
    """A normal map (OpenGL): the left half faces left, the right half faces right."""
    n = np.zeros((side, side, 3), np.float32)
    n[:, : side // 2] = (-0.7, 0.0, 0.7)
    n[:, side // 2 :] = (0.7, 0.0, 0.7)
    return ((n + 1) * 127.5).astype(np.uint8)


def test_a_light_on_the_left_lights_the_faces_turned_left():
    base = np.full((64, 64, 3), 180, np.uint8)
    lit = shade(base, bumps(), (-0.9, 0.0)).astype(int)
    left, right = lit[:, 16:24].mean(), lit[:, 40:48].mean()
    assert left > right + 30
    moved = shade(base, bumps(), (0.9, 0.0)).astype(int)
    assert moved[:, 40:48].mean() > moved[:, 16:24].mean() + 30


def test_green_flips_with_the_convention():
    n = np.zeros((32, 32, 3), np.float32)
    n[...] = (0.0, 0.7, 0.7)  # OpenGL: facing up (towards the top of the image)
    normal = ((n + 1) * 127.5).astype(np.uint8)
    from_top = shade(None, normal, (0.0, -1.0)).mean()
    assert from_top > shade(None, normal, (0.0, -1.0), directx=True).mean() + 10


def test_base_colour_alone_is_shaded_flat_and_keeps_its_hue():
    red = np.zeros((32, 32, 3), np.uint8)
    red[..., 0] = 200
    lit = shade(red, None, (0.0, 0.0))
    assert lit.shape == (32, 32, 3) and lit[..., 0].min() > 100
    assert (lit[..., 0].astype(int) - lit[..., 1:].max(-1) > 60).all()  # red, a white highlight at most
    assert lit[16, 16, 0] > lit[0, 0, 0]  # brightest under the light


def test_dragging_moves_the_light_and_repaints(qtbot):
    widget = LitPreview()
    qtbot.addWidget(widget)
    widget.resize(200, 200)
    widget.show()
    widget.set_maps({"base_color": np.full((64, 64, 3), 150, np.uint8), "normal": bumps()})
    before = widget.grab().toImage()
    with qtbot.waitSignal(widget.lightMoved):
        qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(190, 100))
    assert widget.light[0] > 0.8 and abs(widget.light[1]) < 0.1
    assert widget.grab().toImage() != before


def test_a_sphere_is_lit_on_the_side_facing_the_light_and_keeps_its_map():
    red = np.zeros((64, 64, 3), np.uint8)
    red[..., 0] = 200
    lit = shade(red, None, (-0.9, 0.0), sphere=True).astype(int)
    assert lit.shape == (64, 64, 3)
    assert (lit[0, 0] == BACKDROP).all() and (lit[63, 63] == BACKDROP).all()  # corners: no ball
    assert lit[32, 12, 0] > lit[32, 52, 0] + 40  # the curve turns the right side away from the light
    assert lit[32, 32, 0] > lit[32, 32, 1] + 60  # the base colour wraps onto it
    flat = shade(red, None, (-0.9, 0.0)).astype(int)
    assert (flat[0, 0] != BACKDROP).any()  # the plane fills the square


def test_the_sphere_wraps_the_whole_map_left_to_right_and_reads_its_normals():
    halves = np.zeros((64, 64, 3), np.uint8)
    halves[:, :32] = (200, 0, 0)
    halves[:, 32:] = (0, 0, 200)
    ball = shade(halves, None, (0.0, 0.0), sphere=True)
    assert ball[32, 20, 0] > ball[32, 20, 2] and ball[32, 44, 2] > ball[32, 44, 0]
    base = np.full((64, 64, 3), 180, np.uint8)
    plain = shade(base, None, (-0.9, 0.0), sphere=True).astype(int)
    bumped = shade(base, bumps(), (-0.9, 0.0), sphere=True).astype(int)
    # the right half of the map leans right on top of the curve: darker than the plain ball there
    assert bumped[32, 36:44].mean() < plain[32, 36:44].mean() - 20


def test_the_panel_toggle_puts_the_maps_on_a_sphere(qtbot):
    panel = MaterialPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 600)
    panel.show()
    panel.preview.set_maps({"base_color": np.full((64, 64, 3), 150, np.uint8), "normal": bumps()})
    plane = panel.preview.grab().toImage()
    panel.on_sphere.click()
    assert panel.preview.sphere
    assert panel.preview.grab().toImage() != plane
    panel.on_sphere.click()
    assert not panel.preview.sphere and panel.preview.grab().toImage() == plane
