"""Connect to a shared server: URL, username, password; remembered servers fill the fields."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)


class ConnectDialog(QDialog):
    def __init__(self, servers: list[tuple[str, str]], parent=None, url: str = "", username: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Connect to server")
        self.setMinimumWidth(420)
        self.url = QComboBox(self)
        self.url.setEditable(True)
        self._usernames = dict(servers)
        self.url.addItems([u for u, _ in servers])
        self.url.setEditText(url or (servers[0][0] if servers else "http://127.0.0.1:8765"))
        self.url.lineEdit().setPlaceholderText("http://server:8765")
        self.username = QLineEdit(username or self._usernames.get(self.url.currentText(), ""), self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.url.currentTextChanged.connect(self._url_changed)
        self.error = QLabel("", self)
        self.error.setObjectName("detailKey")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Server", self.url)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Ok | std.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        buttons.accepted.connect(self.connect_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if self.username.text() else self.username).setFocus()

    def values(self) -> tuple[str, str, str]:
        return self.url.currentText().strip().rstrip("/"), self.username.text().strip(), self.password.text()

    def _url_changed(self, url: str) -> None:
        if url in self._usernames:
            self.username.setText(self._usernames[url])

    def connect_clicked(self) -> None:
        """Accept when the address and credentials are filled in, else say what is missing."""
        url, username, password = self.values()
        if not url.startswith(("http://", "https://")):
            self.error.setText("The server address must start with http:// or https://")
        elif not username or not password:
            self.error.setText("Enter your username and password.")
        else:
            self.accept()
