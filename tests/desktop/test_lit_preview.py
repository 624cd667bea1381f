"""The CPU lit preview: shading follows the light and the normal map's convention; dragging in the
widget moves the light and changes the picture."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from vault_desktop.views.lit_preview import LitPreview, shade


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
