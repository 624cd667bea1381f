"""Completion in the filter box: the word being typed completes to a query field (``size:``), a tag
(``tag:oak``), a format (``format:png``) or a role (``role:normal``). Only the word under the
cursor changes; a leading ``-`` (NOT) stays. Field names come from the query language's one table
(server_api/store/query/fields.py), formats from imaging/formats.py."""

from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

from server_api.imaging.formats import FORMAT_NAMES
from server_api.store.material_entities import MATERIAL_ROLES
from server_api.store.query.fields import FIELDS

_WORD = re.compile(r"[^\s()]*$")  # the word that ends at the cursor


def fixed_candidates() -> list[str]:
    return ([f"{name}:" for name in FIELDS] + [f"format:{f.lower()}" for f in FORMAT_NAMES]
            + [f"role:{r}" for r in MATERIAL_ROLES])


class QueryCompleter(QCompleter):
    def __init__(self, box: QLineEdit):
        super().__init__(box)
        self.box = box
        self._model = QStringListModel(fixed_candidates(), self)
        self.setModel(self._model)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setWidget(box)
        box.textEdited.connect(self._edited)
        self.activated.connect(self._insert)
        # Lay the popup out once now (a few ms): its first show would otherwise stall typing ~50 ms.
        self.popup().ensurePolished()
        self.popup().sizeHintForRow(0)

    def set_tags(self, names: list[str]) -> None:
        self._model.setStringList(fixed_candidates() + [f"tag:{n}" for n in names])

    def _word(self) -> tuple[int, str]:
        """(where the word under the cursor starts, the word without a leading '-')."""
        before = self.box.text()[: self.box.cursorPosition()]
        word = _WORD.search(before).group()
        start = len(before) - len(word)
        if word.startswith("-"):
            return start + 1, word[1:]
        return start, word

    def _edited(self, _text: str) -> None:
        _start, word = self._word()
        if not word:
            self.popup().hide()
            return
        self.setCompletionPrefix(word)
        if self.completionCount() == 0 or (self.completionCount() == 1 and self.currentCompletion() == word):
            self.popup().hide()
            return
        self.complete()

    def _insert(self, completion: str) -> None:
        start, _word = self._word()
        text, cursor = self.box.text(), self.box.cursorPosition()
        self.box.setText(text[:start] + completion + text[cursor:])
        self.box.setCursorPosition(start + len(completion))
