"""Turn what the user dropped (files, folders, QMimeData URLs) into the list of files to queue."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMimeData

from server_api.imaging.formats import has_image_suffix

# Inside dropped folders only files named like an accepted format (the one table,
# server_api/imaging/formats.py) are queued; a file dropped on its own is always queued, so a wrong
# file gets a visible "unsupported" row instead of vanishing.


def local_paths(mime: QMimeData) -> list[str]:
    """The local files and folders in a drag, in the order given; remote URLs are ignored."""
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def expand(paths: list[str]) -> tuple[list[tuple[str, int]], int]:
    """(path, size) of the files to queue (folders walked, sorted, duplicates dropped) and how many
    were skipped. Touches the disk a lot: run it off the GUI thread."""
    files: list[tuple[str, int]] = []
    seen: set[str] = set()
    skipped = 0

    def add(path: str) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            try:
                size = os.path.getsize(path)
            except OSError:
                size = 0  # the prepare step reports why it cannot be read
            files.append((path, size))

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith(".") or not has_image_suffix(name):
                        skipped += 1
                        continue
                    add(os.path.join(root, name))
        else:
            add(str(path))
    return files, skipped
