"""The selected texture's facts: format, size, mode, depth, alpha, ICC, colour space, bytes, path,
who, when, and what the collection's QA rules found. The colour space is a combo box: a user who may
write changes it there (``colourSpaceChosen``; the owner of the panel calls set_colour_space)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from server_api.imaging.colour import COLOUR_SPACES
from server_api.store.entities import Texture, Version
from vault_desktop.formatting import human_size, human_time

PREVIEW_SIDE = 220
FIELDS = ("Name", "Format", "Dimensions", "Mode", "Bit depth", "Alpha", "ICC profile", "Colour space",
          "File size", "Original path", "Versions", "Current by", "Changed", "Added", "QA")
SPACE_LABELS = {"srgb": "sRGB", "linear": "linear (data)", "unknown": "unknown"}


def qa_text(v: Version) -> str:
    """One line per finding, errors first: "error: not power of two (1000x512)"."""
    return "\n".join(f"{f.level}: {f.message}" for f in v.qa) or "no findings"


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
        "QA": qa_text(v),
    }


class DetailPanel(QWidget):
    colourSpaceChosen = Signal(int, str)  # version id, srgb | linear | unknown: the user changed it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.texture: Texture | None = None
        self._can_write = False
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
            self.values[name] = value
            if name == "Colour space":  # the label stays (text_of reads it); the combo is what shows
                value.hide()
                form.addRow(key, self._colour_combo())
                continue
            form.addRow(key, value)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.preview)
        layout.addWidget(self.empty)
        layout.addLayout(form)
        layout.addStretch(1)
        self.show_texture(None)

    def _colour_combo(self) -> QComboBox:
        self.colour = QComboBox(self)
        self.colour.setObjectName("colourSpace")
        for space in COLOUR_SPACES:
            self.colour.addItem(SPACE_LABELS[space], space)
        self.colour.setToolTip("Decided at import from the file (ICC profile, PNG chunks, float data) or "
                               "its map role; change it when that was wrong (write access)")
        self.colour.activated.connect(self._colour_activated)
        self.colour.setEnabled(False)
        return self.colour

    def set_can_write(self, can: bool) -> None:
        self._can_write = can
        self.colour.setEnabled(can and self.texture is not None)

    def _colour_activated(self, index: int) -> None:
        space = self.colour.itemData(index)
        if self.texture is None or space == self.texture.current.colour_space:
            return
        # Show what is stored until the store says it changed (the texture reloads on success; a
        # refusal leaves the stored value showing, not the wish).
        self.colour.setCurrentIndex(self.colour.findData(self.texture.current.colour_space))
        self.colourSpaceChosen.emit(self.texture.current.id, space)

    def show_texture(self, texture: Texture | None) -> None:
        self.texture = texture
        self.empty.setVisible(texture is None)
        values = facts(texture) if texture else dict.fromkeys(FIELDS, "")
        for name, label in self.values.items():
            label.setText(values[name])
            label.setToolTip(values[name] if name == "Original path" else "")
        space = texture.current.colour_space if texture else "unknown"
        self.colour.setCurrentIndex(max(0, self.colour.findData(space)))
        self.colour.setEnabled(self._can_write and texture is not None)
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
