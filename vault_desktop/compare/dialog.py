"""The compare window: two versions side by side (synced zoom and pan), a swipe, or the difference."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from server_api.store.entities import Version
from vault_desktop.compare.canvas import ImageCanvas, ViewState
from vault_desktop.compare.loading import DIFF_GAIN, ComparePair, load_pair

MODES = ("Side by side", "Swipe", "Difference")


class CompareDialog(QDialog):
    loaded = Signal()
    failed = Signal(object)

    def __init__(self, store, runner, older: Version, newer: Version, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Compare v{older.number} and v{newer.number}")
        self.resize(1200, 760)
        self.older, self.newer = older, newer
        self.pair: ComparePair | None = None
        self.state = ViewState(self)
        self.left = ImageCanvas(self.state, parent=self)
        self.right = ImageCanvas(self.state, parent=self)
        self.single = ImageCanvas(self.state, parent=self)
        side = QWidget(self)
        row = QHBoxLayout(side)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.left)
        row.addWidget(self.right)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(side)
        self.stack.addWidget(self.single)

        self.mode = QComboBox(self)
        self.mode.addItems(MODES)
        self.mode.currentIndexChanged.connect(self._show_mode)
        self.swipe = QSlider(Qt.Orientation.Horizontal, self)
        self.swipe.setRange(0, 1000)
        self.swipe.setValue(500)
        self.swipe.valueChanged.connect(lambda v: self.single.set_split(v / 1000))
        policy = self.swipe.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the bar keeps its shape in every mode
        self.swipe.setSizePolicy(policy)
        fit = QPushButton("Fit", self)
        fit.clicked.connect(self.fit)
        actual = QPushButton("100%", self)
        actual.clicked.connect(lambda: self.state.set(1.0, self.state.center))
        self.status = QLabel("Loading both versions…", self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Mode", self))
        bar.addWidget(self.mode)
        bar.addWidget(self.swipe, 1)
        bar.addWidget(fit)
        bar.addWidget(actual)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        self._show_mode(0)
        runner.submit(load_pair, store, older.id, newer.id, on_done=self._arrived, on_error=self._broke)

    def set_mode(self, name: str) -> None:
        self.mode.setCurrentIndex(MODES.index(name))

    def fit(self) -> None:
        if self.pair is not None:
            canvas = self.left if self.stack.currentIndex() == 0 else self.single
            self.state.fit(self.pair.older.width(), self.pair.older.height(), canvas.width(), canvas.height())

    def _arrived(self, pair: ComparePair) -> None:
        self.pair = pair
        note = "" if pair.same_size else "  (sizes differ: the newer one is scaled to the older one's size)"
        self.status.setText(f"v{self.older.number}: {self.older.width}×{self.older.height} · "
                            f"v{self.newer.number}: {self.newer.width}×{self.newer.height}{note}")
        self._show_mode(self.mode.currentIndex())
        self.fit()
        self.loaded.emit()

    def _broke(self, exc: BaseException) -> None:
        self.status.setText(f"Could not load the versions: {exc}")
        self.failed.emit(exc)

    def _show_mode(self, index: int) -> None:
        mode = MODES[index]
        self.swipe.setVisible(mode == "Swipe")
        self.stack.setCurrentIndex(0 if mode == "Side by side" else 1)
        p = self.pair
        if p is None:
            return
        a, b = f"v{self.older.number}", f"v{self.newer.number}"
        if mode == "Side by side":
            self.left.set_images(p.older, caption=a)
            self.right.set_images(p.newer, caption=b)
        elif mode == "Swipe":
            self.single.set_images(p.older, p.newer, caption=f"◀ {a}", second_caption=f"{b} ▶")
            self.single.set_split(self.swipe.value() / 1000)
        else:
            self.single.set_images(p.difference, caption=f"Difference {a} / {b} (×{DIFF_GAIN})")
