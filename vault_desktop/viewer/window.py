"""The viewer window: one texture at a time, fit / 100% / zoom / pan, tiling with seam scores,
channel views over a checkerboard, exposure for float data, flip green, readout and histogram.

Keyboard: ←/→ (or ↑/↓) previous/next texture, Esc or Space closes, 1/2/3 tiling, R/G/B/A channels
(again: back to RGB), L luminance, F fit, 0 100%.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from server_api.imaging.colour import ColourSpace, encode_for_display
from server_api.imaging.seams import VISIBLE_SEAM
from server_api.imaging.tonemap import CHANNEL_VIEWS, DisplaySettings
from server_api.store.entities import Version
from vault_desktop.qimages import decode_to_qimage
from vault_desktop.viewer.canvas import ViewerCanvas
from vault_desktop.viewer.comments_pane import CommentsPane
from vault_desktop.viewer.histogram_view import HistogramView
from vault_desktop.viewer.loading import LoadedTexture, load_texture
from vault_desktop.viewer.tiles import TileStore

_CHANNEL_LABELS = {"RGB": "RGB", "R": "Red", "G": "Green", "B": "Blue", "A": "Alpha", "L": "Luminance"}
_CHANNEL_KEYS = {Qt.Key.Key_R: "R", Qt.Key.Key_G: "G", Qt.Key.Key_B: "B", Qt.Key.Key_A: "A",
                 Qt.Key.Key_L: "L"}
_EXPOSURE_STEPS = 4  # slider units per stop


@dataclass(frozen=True)
class ViewerItem:
    version_id: int
    name: str  # the texture's name (its tokens tell the normal-map convention)
    caption: str  # one line under the name: version, size, format, depth
    width: int
    height: int
    colour_space: str = "unknown"  # the STORED one (import decided, a user may have set it)

    @classmethod
    def of_version(cls, version: Version, name: str) -> ViewerItem:
        caption = (f"v{version.number} · {version.width}×{version.height} · {version.format} · "
                   f"{version.bit_depth}-bit {version.mode}")
        return cls(version.id, name, caption, version.width, version.height, version.colour_space)


class ViewerWindow(QDialog):
    proxyShown = Signal()  # the thumbnail is up: the first view
    loaded = Signal()  # every pixel decoded: full resolution from here on
    failed = Signal(object)

    def __init__(self, store, runner, items: list[ViewerItem], index: int = 0, parent=None):
        super().__init__(parent)
        if not items:
            raise ValueError("the viewer needs at least one texture to show")
        self.resize(1280, 820)
        self.store, self.runner, self.items = store, runner, list(items)
        self.index = max(0, min(index, len(items) - 1))
        self.texture: LoadedTexture | None = None
        self._generation = 0
        self._jobs: list = []  # handles of the shown texture's proxy and decode jobs
        self.tiles = TileStore(runner, self)
        self.canvas = ViewerCanvas(self.tiles, self)
        self.canvas.hovered.connect(self._readout)
        self.histogram = HistogramView(self)
        self.comments = CommentsPane(store, runner, self.canvas, self)  # issue 16: comments, regions
        self.comments.failed.connect(self.failed)
        self._build()
        self.show_item(self.index)

    # ---- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        bar = QHBoxLayout()
        fit, actual = QPushButton("Fit", self), QPushButton("100%", self)
        fit.clicked.connect(self.canvas.fit)
        actual.clicked.connect(self.canvas.actual_size)
        self.repeat_group = QButtonGroup(self)
        buttons = [fit, actual]
        for n in (1, 2, 3):
            button = QPushButton(f"{n}×{n}", self)
            button.setCheckable(True)
            button.setChecked(n == 1)
            button.setToolTip(f"Repeat the texture {n}×{n} (key {n})")
            self.repeat_group.addButton(button, n)
            buttons.append(button)
        self.repeat_group.idClicked.connect(self.set_repeat)
        self.channel = QComboBox(self)
        for view in CHANNEL_VIEWS:
            self.channel.addItem(_CHANNEL_LABELS[view], view)
        self.channel.currentIndexChanged.connect(lambda _i: self._settings_changed())
        self.exposure = QSlider(Qt.Orientation.Horizontal, self)
        self.exposure.setRange(-8 * _EXPOSURE_STEPS, 8 * _EXPOSURE_STEPS)
        self.exposure.setFixedWidth(140)
        self.exposure.valueChanged.connect(lambda _v: self._settings_changed())
        self.exposure_label = QLabel("Exposure +0.0", self)
        self.flip_green = QCheckBox("Flip green", self)
        self.flip_green.toggled.connect(lambda _on: self._settings_changed())
        self.seams = QCheckBox("Highlight seams", self)
        self.seams.setChecked(True)
        self.seams.toggled.connect(self._seams_toggled)
        for w in [*buttons, self.channel, self.exposure, self.flip_green, self.seams]:
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys always reach the viewer, not a control
        for w in [*buttons, QLabel("Channel", self), self.channel, self.exposure_label, self.exposure,
                  self.flip_green, self.seams]:
            bar.addWidget(w)
        bar.addStretch(1)

        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.seam_label, self.normal_label, self.readout = QLabel(self), QLabel(self), QLabel(self)
        self.colour_label = QLabel(self)
        for label in (self.seam_label, self.normal_label, self.colour_label, self.readout):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side = QVBoxLayout()
        for w in (self.title, self.seam_label, self.normal_label, self.colour_label, self.histogram,
                  self.readout):
            side.addWidget(w)
        side.addWidget(self.comments, 1)
        panel = QWidget(self)
        panel.setFixedWidth(260)
        panel.setLayout(side)
        body = QHBoxLayout()
        body.addWidget(self.canvas, 1)
        body.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(body, 1)

    # ---- which texture ----------------------------------------------------------------------
    @property
    def item(self) -> ViewerItem:
        return self.items[self.index]

    def show_item(self, index: int) -> None:
        self.index = max(0, min(index, len(self.items) - 1))
        self._generation += 1
        generation, item = self._generation, self.item
        self.texture = None  # let the previous picture go before the next one decodes
        self.tiles.reset(None, "RGB", self.display_settings())
        self.setWindowTitle(f"{item.name} ({self.index + 1} of {len(self.items)})")
        self.title.setText(f"<b>{item.name}</b><br>{item.caption}")
        self.seam_label.setText("Seam score: measuring…")
        self.normal_label.setText("")
        self.readout.setText("")
        self.histogram.set_histogram(None)
        self.canvas.seam = None
        self.canvas.checker = False
        self.canvas.set_picture(item.width, item.height, 0, None)
        self.comments.show_version(item.version_id)
        store = self.store
        self._cancel_jobs()
        version_id = item.version_id
        self._jobs = [self.runner.submit(lambda: decode_to_qimage(store.version_thumbnail(version_id)),
                           on_done=lambda image: self._proxy_arrived(generation, image),
                           on_error=lambda _exc: None),  # no thumbnail: the full picture still comes
                      self.runner.submit(load_texture, store, version_id, item.name,
                                         on_done=lambda loaded: self._arrived(generation, loaded),
                                         on_error=lambda exc: self._broke(generation, exc))]

    def _cancel_jobs(self) -> None:
        for handle in self._jobs:
            handle.cancel()
        self._jobs = []

    def step(self, delta: int) -> None:
        target = self.index + delta
        if 0 <= target < len(self.items):
            self.show_item(target)

    def _proxy_arrived(self, generation: int, image: QImage) -> None:
        if generation == self._generation and self.texture is None:
            self.canvas.set_proxy(image)
            self.proxyShown.emit()

    def _arrived(self, generation: int, loaded: LoadedTexture) -> None:
        if generation != self._generation:
            return
        self.texture = loaded
        px = loaded.pixels
        self.exposure.setEnabled(px.is_float)
        self.exposure_label.setEnabled(px.is_float)
        self.canvas.checker = px.channels.endswith("A")
        self.canvas.seam = loaded.seam
        self.canvas.top_level = loaded.pyramid.top
        if (px.width, px.height) != self.canvas.image_size:  # orientation swapped the sides
            self.canvas.set_picture(px.width, px.height, loaded.pyramid.top, None)
        self.tiles.reset(loaded.pyramid, px.channels, self.display_settings())
        self._describe(loaded)
        self.canvas.update()
        self.loaded.emit()

    def _broke(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.seam_label.setText(f"Could not decode this version: {exc}")
            self.failed.emit(exc)

    def _describe(self, t: LoadedTexture) -> None:
        s = t.seam
        verdict = "visible seam" if s.worst() >= VISIBLE_SEAM else "tiles cleanly"
        self.seam_label.setText(f"Seam score: x {s.x:.2f} · y {s.y:.2f} ({verdict}; ~1 seamless, ≥ "
                                f"{VISIBLE_SEAM:g} visible)")
        convention = {"opengl": "OpenGL (green up)", "directx": "DirectX (green down)"}.get(
            t.convention or "", "convention not in the name")
        if t.normal.is_normal_map:
            self.normal_label.setText(f"Normal map: {t.normal.reason}; {convention}")
        else:
            self.normal_label.setText(f"Not a normal map ({t.normal.reason})")
        stored = self.item.colour_space
        said = t.colour.why if t.colour.space == stored else f"set by a user; the file: {t.colour.label()}"
        self.colour_label.setText(f"Colour space: {ColourSpace(stored, said).label()}")
        self.histogram.set_histogram(t.histogram)

    # ---- display settings -------------------------------------------------------------------
    def display_settings(self) -> DisplaySettings:
        is_float = self.texture is not None and self.texture.pixels.is_float
        return DisplaySettings(channel=self.channel.currentData() or "RGB",
                               exposure=self.exposure.value() / _EXPOSURE_STEPS if is_float else 0.0,
                               flip_green=self.flip_green.isChecked(),
                               encode_srgb=encode_for_display(self.item.colour_space, is_float,
                                                              self.item.name))

    def _settings_changed(self) -> None:
        self.exposure_label.setText(f"Exposure {self.exposure.value() / _EXPOSURE_STEPS:+.1f}")
        settings = self.display_settings()
        self.canvas.checker = (self.texture is not None and self.texture.pixels.channels.endswith("A")
                               and settings.channel == "RGB")
        self.tiles.set_settings(settings)
        self.canvas.update()

    def set_channel(self, view: str) -> None:
        self.channel.setCurrentIndex(CHANNEL_VIEWS.index(view))

    def set_exposure(self, stops: float) -> None:
        self.exposure.setValue(round(stops * _EXPOSURE_STEPS))

    def set_repeat(self, n: int) -> None:
        self.repeat_group.button(n).setChecked(True)
        self.canvas.set_repeat(n)

    def _seams_toggled(self, on: bool) -> None:
        self.canvas.show_seams = on
        self.canvas.update()

    # ---- readout ----------------------------------------------------------------------------
    def _readout(self, x: int, y: int) -> None:
        if self.texture is None or x < 0:
            self.readout.setText("")
            return
        values = self.texture.pixels.array[y, x]
        floats = np.issubdtype(values.dtype, np.floating)
        shown = "  ".join(f"{c} {float(v):.4f}" if floats else f"{c} {int(v)}"
                          for c, v in zip(self.texture.pixels.channels, values, strict=True))
        self.readout.setText(f"x {x}, y {y}<br>{shown}")

    def closeEvent(self, event) -> None:
        """Let the decoded picture go at once (a 16K texture is GBs); results still coming are dropped."""
        self._generation += 1
        self._cancel_jobs()
        self.comments.cancel()
        self.texture = None
        self.tiles.reset(None, "RGB", DisplaySettings())
        self.canvas.set_proxy(None)
        super().closeEvent(event)

    # ---- keyboard ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.step(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.step(-1)
        elif key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
            self.set_repeat(int(event.text() or key - Qt.Key.Key_0))
        elif key in _CHANNEL_KEYS:
            view = _CHANNEL_KEYS[key]
            self.set_channel("RGB" if self.channel.currentData() == view else view)
        elif key == Qt.Key.Key_F:
            self.canvas.fit()
        elif key == Qt.Key.Key_0:
            self.canvas.actual_size()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Escape):
            self.close()
        else:
            super().keyPressEvent(event)
