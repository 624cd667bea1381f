"""The upload queue as a table: one row per file, changes announced in batches."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPixmap

from vault_desktop.qimages import decode_to_qimage

from .rows import FAILED, REJECTED, UNCHANGED, UploadRow

ProgressRole = Qt.ItemDataRole.UserRole + 1  # float 0..1
RowKeyRole = Qt.ItemDataRole.UserRole + 2
LinkRole = Qt.ItemDataRole.UserRole + 3  # texture id a click should show, or None

COLUMNS = ("File", "State", "Image", "Progress", "Outcome")
FILE, STATE, IMAGE, PROGRESS, OUTCOME = range(len(COLUMNS))
ICON_SIZE = 32
ERROR_COLOR = QColor("#e0645c")
LINK_COLOR = QColor("#5aa9e6")


def _size_text(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


class UploadQueueModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[UploadRow] = []
        self._index_of: dict[int, int] = {}
        self._icons: dict[int, QPixmap] = {}
        self._blank: QPixmap | None = None

    # ---- the queue's contents ---------------------------------------------------------------
    def rows(self) -> list[UploadRow]:
        return list(self._rows)

    def row_for_key(self, key: int) -> UploadRow | None:
        i = self._index_of.get(key)
        return self._rows[i] if i is not None else None

    def index_of_key(self, key: int | None, column: int = 0) -> QModelIndex:
        i = self._index_of.get(key)
        return self.index(i, column) if i is not None else QModelIndex()

    def append(self, rows: list[UploadRow]) -> None:
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        for row in rows:
            self._index_of[row.key] = len(self._rows)
            self._rows.append(row)
        self.endInsertRows()

    def remove_rows(self, which) -> list[UploadRow]:
        """Drop the rows for which ``which(row)`` is true (finished ones, another vault's) and
        return them."""
        keep = [r for r in self._rows if not which(r)]
        removed = [r for r in self._rows if which(r)]
        if removed:
            self.beginResetModel()
            self._rows = keep
            self._index_of = {r.key: i for i, r in enumerate(keep)}
            self._icons = {k: v for k, v in self._icons.items() if k in self._index_of}
            self.endResetModel()
        return removed

    def rows_changed(self, keys) -> None:
        """One dataChanged covering every changed row: cheap however many changed."""
        indexes = [self._index_of[k] for k in keys if k in self._index_of]
        if indexes:
            self.dataChanged.emit(self.index(min(indexes), 0),
                                  self.index(max(indexes), len(COLUMNS) - 1))

    # ---- QAbstractTableModel ----------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.path if col == FILE else self._text(row, col) or None
        if role == Qt.ItemDataRole.DecorationRole and col == FILE:
            return self._icon(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.state in (REJECTED, FAILED) and col in (STATE, OUTCOME):
                return ERROR_COLOR
            if self._link(row) is not None and col == OUTCOME:
                return LINK_COLOR
        if role == Qt.ItemDataRole.FontRole and col == OUTCOME and self._link(row) is not None:
            font = QFont()
            font.setUnderline(True)
            return font
        if role == ProgressRole:
            return row.fraction
        if role == RowKeyRole:
            return row.key
        if role == LinkRole:
            return self._link(row)
        return None

    def _text(self, row: UploadRow, col: int) -> str:
        if col == FILE:
            return row.name
        if col == STATE:
            return "already in vault" if row.state == UNCHANGED else row.state
        if col == IMAGE:
            return row.metadata_text() or _size_text(row.size)
        if col == PROGRESS:
            return f"{round(row.fraction * 100)}%"
        return row.outcome_text()

    @staticmethod
    def _link(row: UploadRow) -> int | None:
        return row.texture_id if row.state == UNCHANGED else None

    def _icon(self, row: UploadRow) -> QPixmap:
        if row.thumbnail is None:  # an empty square keeps the names in one column
            if self._blank is None:
                self._blank = QPixmap(ICON_SIZE, ICON_SIZE)
                self._blank.fill(Qt.GlobalColor.transparent)
            return self._blank
        icon = self._icons.get(row.key)
        if icon is None:  # decoded only for rows a view shows, once; by Pillow, as the grid does
            icon = QPixmap.fromImage(decode_to_qimage(row.thumbnail, ICON_SIZE))
            self._icons[row.key] = icon
        return icon
