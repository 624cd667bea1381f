"""Custom item-data roles shared by the models and the delegates that paint them."""

from PySide6.QtCore import Qt

_BASE = Qt.ItemDataRole.UserRole

ThumbnailRole = _BASE + 1  # QPixmap, or None while it loads (the delegate draws a placeholder)
TextureIdRole = _BASE + 2
VersionIdRole = _BASE + 3
SubtitleRole = _BASE + 4  # one short grey line: "PNG · 2048×2048 · 16-bit"
EntityRole = _BASE + 5  # the frozen dataclass behind the row (Collection, Version)
BadgesRole = _BASE + 6  # tuple[str, ...] of markers: "current", "published", "shared", level
TagsRole = _BASE + 8  # tuple[str, ...]: the texture's tags, drawn as chips on large tiles
QaRole = _BASE + 9  # (errors, warnings) the QA rules found on the current version; None: none
