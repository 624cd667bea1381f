"""Collection ▸ QA rules…: the rules a collection's textures are checked against (issue 13), for its
admins. One row per rule: on/off, its value where it takes one, and the level of what it finds.
Per-role bit depths and colour spaces go in a text box, one KEY=VALUE:LEVEL per line (the same words
as `vault qa-rules --set`). Saving replaces the rules and checks every current version again."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from server_api.core.errors import VaultError
from server_api.store.entities import Collection
from server_api.store.qa_rules import QA_LEVELS, QaRule, QaRules, parse_setting

# key -> (label, value widget kind): None, "side" (pixels), "limit" (seam score)
ROWS: dict[str, tuple[str, str | None]] = {
    "power_of_two": ("Sides are powers of two", None),
    "square": ("Square", None),
    "max_side": ("No side longer than", "side"),
    "min_side": ("No side shorter than", "side"),
    "unused_alpha": ("No unused alpha channel (all 255)", None),
    "normal_map": ("Normal maps are valid normal maps", None),
    "colour_space": ("Colour space fits the map role", None),
    "seam": ("Tiles without a seam: score below", "limit"),
}
DEFAULT_VALUES = {"max_side": 8192, "min_side": 256, "seam": 2.0}


class QaRuleRow:
    """The widgets of one rule in the grid."""

    def __init__(self, parent: QWidget, key: str, label: str, kind: str | None):
        self.key, self.kind = key, kind
        self.on = QCheckBox(label, parent)
        self.on.setObjectName(f"qa_{key}")
        self.value: QSpinBox | QDoubleSpinBox | None = None
        if kind == "side":
            self.value = QSpinBox(parent)
            self.value.setRange(1, 1 << 20)
            self.value.setSuffix(" px")
        elif kind == "limit":
            self.value = QDoubleSpinBox(parent)
            self.value.setRange(1.0, 1000.0)
            self.value.setSingleStep(0.5)
        if self.value is not None:
            self.value.setValue(DEFAULT_VALUES[key])
        self.level = QComboBox(parent)
        for level in QA_LEVELS:
            self.level.addItem(level, level)

    def show(self, rule: QaRule | None) -> None:
        self.on.setChecked(rule is not None)
        if rule is not None:
            self.level.setCurrentIndex(self.level.findData(rule.level))
            if self.value is not None and rule.value:
                self.value.setValue(float(rule.value) if self.kind == "limit" else int(rule.value))

    def rule(self) -> QaRule | None:
        if not self.on.isChecked():
            return None
        value = ""
        if isinstance(self.value, QSpinBox):
            value = str(self.value.value())
        elif isinstance(self.value, QDoubleSpinBox):
            value = f"{self.value.value():g}"
        return QaRule(self.key, self.level.currentData(), value)


class QaRulesDialog(QDialog):
    saved = Signal(object)  # the QaRules now in force

    def __init__(self, store, collection: Collection, lanes, parent=None):
        super().__init__(parent)
        self.store, self.collection, self.lanes = store, collection, lanes
        self.setWindowTitle(f"QA rules — {collection.name}")
        self.rows = {key: QaRuleRow(self, key, label, kind) for key, (label, kind) in ROWS.items()}
        self.per_role = QPlainTextEdit(self)
        self.per_role.setObjectName("qaPerRole")
        self.per_role.setPlaceholderText("bit_depth.height=16,32:error\ncolour_space.base_color=srgb:warning")
        self.per_role.setFixedHeight(72)
        self.message = QLabel("Loading the rules…", self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        self._set_busy(True)
        lanes.reads.submit(store.get_qa_rules, collection.id, on_done=self.show_rules, on_error=self._failed)

    def _layout(self) -> None:
        grid = QGridLayout()
        for i, row in enumerate(self.rows.values()):
            grid.addWidget(row.on, i, 0)
            if row.value is not None:
                grid.addWidget(row.value, i, 1)
            grid.addWidget(row.level, i, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(QLabel("Per map role, one a line (KEY=VALUE:LEVEL):", self))
        layout.addWidget(self.per_role)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def show_rules(self, rules: QaRules) -> None:
        by_key = {r.key: r for r in rules.rules}
        for key, row in self.rows.items():
            row.show(by_key.pop(key, None))
        self.per_role.setPlainText("\n".join(r.text() for r in by_key.values()))
        self.message.setText("Saving checks every current texture of the collection again.")
        self._set_busy(False)

    def rules(self) -> list[QaRule]:
        """What the dialog says; VaultError naming a per-role line that is not a rule."""
        chosen = [rule for row in self.rows.values() if (rule := row.rule()) is not None]
        for line in self.per_role.toPlainText().splitlines():
            if line.strip():
                key, rule = parse_setting(line.strip())
                if rule is None or "." not in key:
                    raise VaultError("invalid_argument", f"per-role line {line.strip()[:60]!r}: write "
                                     "bit_depth.ROLE=16,32:LEVEL or colour_space.ROLE=srgb:LEVEL")
                chosen.append(rule)
        return chosen

    def save(self) -> None:
        try:
            rules = self.rules()
        except VaultError as exc:
            self.message.setText(exc.message)
            return
        self._set_busy(True)
        self.message.setText("Checking the collection's textures…")
        self.lanes.writes.submit(self.store.set_qa_rules, self.collection.id, rules,
                                 on_done=self._saved, on_error=self._failed)

    def _saved(self, rules: QaRules) -> None:
        self.saved.emit(rules)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.setText(exc.message if isinstance(exc, VaultError) else f"{type(exc).__name__}: {exc}")

    def _set_busy(self, busy: bool) -> None:
        for row in self.rows.values():
            for w in (row.on, row.value, row.level):
                if w is not None:
                    w.setEnabled(not busy)
        self.per_role.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not busy)
