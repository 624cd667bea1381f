"""What the app remembers between runs: window geometry, zoom, theme, recent vaults, servers.

An INI file in the platformdirs config dir (so tests, which override that dir, never touch the
user's real settings). Server tokens live here too; the file is made private to the user.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from server_api.core import appdirs

MAX_RECENT = 10
ZOOM_MIN, ZOOM_MAX, ZOOM_DEFAULT = 64, 512, 160


class Settings:
    def __init__(self, path: Path | None = None):
        self.path = path or appdirs.config_dir() / "desktop.ini"
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    # ---- window ---------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    def window_state(self) -> QByteArray | None:
        value = self._qs.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def set_window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)

    def zoom(self) -> int:
        try:
            value = int(self._qs.value("grid/zoom", ZOOM_DEFAULT))
        except (TypeError, ValueError):
            value = ZOOM_DEFAULT
        return max(ZOOM_MIN, min(ZOOM_MAX, value))

    def set_zoom(self, value: int) -> None:
        self._qs.setValue("grid/zoom", int(value))

    def theme(self) -> str:
        value = str(self._qs.value("view/theme", "dark"))
        return value if value in ("dark", "light") else "dark"

    def set_theme(self, name: str) -> None:
        self._qs.setValue("view/theme", name)

    # ---- vaults ---------------------------------------------------------------------------
    def recent_vaults(self) -> list[str]:
        value = self._qs.value("vaults/recent", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(v) for v in value or [] if str(v).strip()]

    def add_recent_vault(self, uri: str) -> None:
        recent = [uri] + [v for v in self.recent_vaults() if v != uri]
        self._qs.setValue("vaults/recent", recent[:MAX_RECENT])

    def last_vault(self) -> str | None:
        recent = self.recent_vaults()
        return recent[0] if recent else None

    def server_login(self, url: str) -> tuple[str, str] | None:
        """(username, token) remembered for ``url``, or None."""
        key = _server_key(url)
        username = self._qs.value(f"servers/{key}/username")
        token = self._qs.value(f"servers/{key}/token")
        return (str(username), str(token)) if username and token else None

    def remember_server(self, url: str, username: str, token: str) -> None:
        key = _server_key(url)
        self._qs.setValue(f"servers/{key}/url", url)
        self._qs.setValue(f"servers/{key}/username", username)
        self._qs.setValue(f"servers/{key}/token", token)
        self.sync()

    def forget_server_token(self, url: str) -> None:
        self._qs.remove(f"servers/{_server_key(url)}/token")

    def servers(self) -> list[tuple[str, str]]:
        """Remembered (url, username) pairs, for the connect dialog."""
        self._qs.beginGroup("servers")
        keys = self._qs.childGroups()
        self._qs.endGroup()
        found = []
        for key in keys:
            url = self._qs.value(f"servers/{key}/url")
            if url:
                found.append((str(url), str(self._qs.value(f"servers/{key}/username", ""))))
        return found

    def sync(self) -> None:
        self._qs.sync()
        if self.path.exists():  # tokens are secrets: owner-only
            os.chmod(self.path, 0o600)


def _server_key(url: str) -> str:
    """A QSettings-safe group name for a URL (slashes would nest groups)."""
    return url.rstrip("/").replace("://", "_").replace("/", "_").replace(":", "_")
