"""The tag editor in the details panel: the texture's tags, a box that completes from the vault's
tags (Enter adds), Backspace in the empty box removes the last tag. It edits nothing itself: it asks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget


class TagEditor(QWidget):
    addRequested = Signal(str)
    removeRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("tagEditor")
        self.tags: list[str] = []
        self.chips = QLabel(self)
        self.chips.setObjectName("tagChips")
        self.chips.setWordWrap(True)
        self.chips.setTextFormat(Qt.TextFormat.PlainText)
        self.box = QLineEdit(self)
        self.box.setPlaceholderText("Add a tag (Enter)")
        self.scope = QLabel(self)  # "Adds and removes on 12 selected textures"
        self.scope.setObjectName("tagScope")
        self.scope.hide()
        self.vocabulary = QStringListModel(self)
        completer = QCompleter(self.vocabulary, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.box.setCompleter(completer)
        self.box.returnPressed.connect(self._add)
        self.box.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(4)
        title = QLabel("Tags", self)
        title.setObjectName("detailKey")
        for w in (title, self.chips, self.box, self.scope):
            layout.addWidget(w)
        self.show_tags(None)

    def show_tags(self, tags: list[str] | None, editable: bool = False) -> None:
        """The shown texture's tags (None: no texture); ``editable`` when the caller may write."""
        self.tags = list(tags or [])
        self.chips.setText("   ".join(f"#{t}" for t in self.tags) if self.tags else "no tags")
        self.box.setEnabled(tags is not None and editable)
        self.setVisible(tags is not None)

    def set_selected_count(self, count: int) -> None:
        """Several tiles selected: what is added or removed applies to all of them."""
        self.scope.setText(f"Adds and removes on {count:,} selected textures" if count > 1 else "")
        self.scope.setVisible(count > 1)

    def set_vocabulary(self, names: list[str]) -> None:
        self.vocabulary.setStringList(names)

    def _add(self) -> None:
        name = self.box.text().strip()
        if name:
            self.box.clear()
            self.addRequested.emit(name)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if (watched is self.box and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Backspace and not self.box.text() and self.tags):
            self.removeRequested.emit(self.tags[-1])
            return True
        return super().eventFilter(watched, event)
