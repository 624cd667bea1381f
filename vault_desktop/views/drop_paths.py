"""Local file paths carried by a drag from a file manager (other URL kinds are ignored)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData


def local_paths(mime: QMimeData | None) -> list[str]:
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]
