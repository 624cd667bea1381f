"""The selected texture's facts: format, size, mode, depth, alpha, ICC, colour space, bytes, path,
who, when."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from server_api.store.entities import Texture
from vault_desktop.formatting import human_size, human_time

PREVIEW_SIDE = 220
FIELDS = ("Name", "Format", "Dimensions", "Mode", "Bit depth", "Alpha", "ICC profile", "Colour space",
          "File size", "Original path", "Versions", "Current by", "Changed", "Added")


def facts(t: Texture) -> dict[str, str]:
    v = t.current
    return {
        "Name": t.name,
        "Format": v.format,
        "Dimensions": f"{v.width} × {v.height}",
        "Mode": v.mode,
        "Bit depth": f"{v.bit_depth}-bit per channel",
        "Alpha": "yes" if v.has_alpha else "no",
        "ICC profile": "embedded" if v.has_icc else "none",
        "Colour space": v.colour_space,  # stored per version: import's decision or the user's override
        "File size": human_size(v.byte_size),
        "Original path": t.original_path,
        "Versions": f"{t.version_count} (current v{v.number})",
        "Current by": v.created_by,
        "Changed": human_time(t.updated_at),
        "Added": human_time(t.created_at),
    }


class DetailPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.texture: Texture | None = None
        self.preview = QLabel(self)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(PREVIEW_SIDE)
        self.empty = QLabel("Select a texture to see its details.", self)
        self.empty.setObjectName("emptyHint")
        self.empty.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        self.values: dict[str, QLabel] = {}
        for name in FIELDS:
            key = QLabel(name, self)
            key.setObjectName("detailKey")
            value = QLabel("", self)
            value.setObjectName("detailValue")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(key, value)
            self.values[name] = value
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.preview)
        layout.addWidget(self.empty)
        layout.addLayout(form)
        layout.addStretch(1)
        self.show_texture(None)

    def show_texture(self, texture: Texture | None) -> None:
        self.texture = texture
        self.empty.setVisible(texture is None)
        values = facts(texture) if texture else dict.fromkeys(FIELDS, "")
        for name, label in self.values.items():
            label.setText(values[name])
            label.setToolTip(values[name] if name == "Original path" else "")
        if texture is None:
            self.preview.clear()

    def show_preview(self, pixmap: QPixmap | None) -> None:
        if pixmap is None or pixmap.isNull():
            self.preview.clear()
            return
        self.preview.setPixmap(pixmap.scaled(PREVIEW_SIDE, PREVIEW_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    def text_of(self, field: str) -> str:
        return self.values[field].text()
