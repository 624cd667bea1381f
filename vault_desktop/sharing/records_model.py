"""A read-only table over a list of frozen entities (grants, users, events, storage rows).

Each column is a header and a function from the entity to its text, so the dialogs declare what
they show in one line per column instead of writing a model each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

RecordRole = Qt.ItemDataRole.UserRole + 1  # the entity behind a row
MUTED = QColor("#8a8f98")  # readable but quiet on both themes (e.g. a disabled account)


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    align_right: bool = False  # numbers
    muted: Callable[[Any], bool] | None = None  # greyed rows, e.g. a disabled account


def when(moment: datetime | None) -> str:
    """A timestamp the way people read it, in local time."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def size_text(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


class RecordsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self._columns = tuple(columns)
        self._records: list[Any] = []

    def records(self) -> list[Any]:
        return list(self._records)

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def append_records(self, records: Sequence[Any]) -> None:
        if not records:
            return
        first = len(self._records)
        self.beginInsertRows(QModelIndex(), first, first + len(records) - 1)
        self._records.extend(records)
        self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self._columns[section].header
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record, column = self._records[index.row()], self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.muted and column.muted(record):
            return MUTED
        if role == RecordRole:
            return record
        return None


def selected_record(view) -> Any | None:
    """The entity of the selected row of a single-selection view over a RecordsModel."""
    rows = view.selectionModel().selectedRows()
    return rows[0].data(RecordRole) if rows else None


def select_username(view, username: str) -> bool:
    """Select the row whose entity has ``username`` (grants and users both do)."""
    for row, record in enumerate(view.model().records()):
        if record.username == username:
            view.selectRow(row)
            return True
    return False
