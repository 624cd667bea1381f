"""The strip above the grid that says the server is unreachable and when the next try comes; with
a server's kept copy on this machine it says what the grid shows meanwhile (``set_note``)."""

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
        self.note = ""  # "Offline — showing what was cached at 14:32" (controllers/offline.py)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry)
        self.hide()

    def show_countdown(self, seconds: int) -> None:
        if self.note:
            self.label.setText(f"{self.note} · retrying {'now…' if seconds <= 0 else f'in {seconds} s'}")
        else:
            self.label.setText("Server unreachable — retrying now…" if seconds <= 0
                               else f"Server unreachable — retrying in {seconds} s")
        self.show()

    def set_note(self, note: str) -> None:
        self.note = note

    def text(self) -> str:
        return self.label.text()
