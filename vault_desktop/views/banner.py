"""The strip above the grid that says the server is unreachable and when the next try comes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class ConnectionBanner(QFrame):
    retryRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel("", self)
        self.retry = QPushButton("Retry now", self)
        self.retry.setFlat(True)
        self.retry.clicked.connect(self.retryRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry)
        self.hide()

    def show_countdown(self, seconds: int) -> None:
        self.label.setText("Server unreachable — retrying now…" if seconds <= 0
                           else f"Server unreachable — retrying in {seconds} s")
        self.show()

    def text(self) -> str:
        return self.label.text()
