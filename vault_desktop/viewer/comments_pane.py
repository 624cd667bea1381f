"""The viewer's comments: the shown version's comments (regions drawn over the picture, numbered as
listed) and a box to add one; "Comment on a region" lets the user drag the rectangle first.
Store calls run on the viewer's lane; an answer for a version no longer shown is dropped."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from server_api.store.review_entities import Comment, Region
from vault_desktop.viewer.region_overlay import RegionOverlay
from vault_desktop.views.review_panel import comment_line


class CommentsPane(QWidget):
    commented = Signal(object)  # the Comment just added
    failed = Signal(object)

    def __init__(self, store, runner, canvas, parent=None):
        super().__init__(parent)
        self.store, self.runner = store, runner
        self.overlay = RegionOverlay(canvas)
        self.overlay.regionDrawn.connect(self._region_drawn)
        self.version_id: int | None = None
        self._jobs: list = []  # handles of its store calls: cancelled when the viewer closes
        self.region_button = QPushButton("Comment on a region", self)
        self.region_button.setCheckable(True)
        self.region_button.setToolTip("Drag a rectangle over the picture, then write the comment")
        self.region_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.region_button.toggled.connect(self._drawing_toggled)
        self.region_label = QLabel(self)
        self.region_label.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("viewerComments")
        self.list.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setMaximumHeight(60)
        self.text.setPlaceholderText("Comment on this version…")
        self.send = QPushButton("Comment", self)
        self.send.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.send.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(QLabel("<b>Comments</b>", self))
        for w in (self.list, self.region_button, self.region_label, self.text, self.send):
            layout.addWidget(w)

    def show_version(self, version_id: int) -> None:
        self.version_id = version_id
        self.overlay.pending = None
        self.region_button.setChecked(False)
        self._show([])
        self.reload()

    def reload(self) -> None:
        store, shown = self.store, self.version_id
        if shown is None:
            return
        def arrived(found: list[Comment]) -> None:
            if self.version_id == shown:
                self._show(found)

        self._track(self.runner.submit(store.list_comments, shown, on_done=arrived,
                                       on_error=self.failed.emit))

    def _show(self, comments: list[Comment]) -> None:
        self.list.clear()
        regions, number = [], 0
        for c in comments:
            label = comment_line(c)
            if c.region is not None:
                regions.append(c.region)
                number += 1
                label = f"[{number}] " + label
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.list.addItem(item)
        self.overlay.regions = regions
        self.overlay.update()
        self._describe_region()

    def _drawing_toggled(self, on: bool) -> None:
        self.overlay.set_drawing(on)
        if not on and self.overlay.pending is None:
            self.overlay.update()
        self._describe_region()

    def _region_drawn(self, _region: Region) -> None:
        self.region_button.setChecked(False)  # one rectangle per comment; pan and zoom work again
        self._describe_region()
        self.text.setFocus()

    def _describe_region(self) -> None:
        r = self.overlay.pending
        if r is not None:
            self.region_label.setText(f"Region: {r.x:.0%}, {r.y:.0%}, {r.w:.0%} × {r.h:.0%} of the image")
        elif self.region_button.isChecked():
            self.region_label.setText("Drag a rectangle over the picture")
        else:
            self.region_label.setText("")

    def submit(self) -> None:
        text, shown, region = self.text.toPlainText(), self.version_id, self.overlay.pending
        if shown is None or not text.strip():
            return

        def done(comment: Comment) -> None:
            if self.version_id == shown:
                self.text.clear()
                self.overlay.pending = None
                self.reload()
            self.commented.emit(comment)

        self._track(self.runner.submit(self.store.add_comment, shown, text, region, on_done=done,
                                       on_error=self.failed.emit))

    def cancel(self) -> None:
        """The viewer is closing: answers still coming must not reach widgets about to go."""
        for handle in self._jobs:
            handle.cancel()
        self._jobs = []

    def _track(self, handle) -> None:
        self._jobs.append(handle)  # a few per version shown: kept until the viewer closes
