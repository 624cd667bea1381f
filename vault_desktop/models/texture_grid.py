"""The grid's model: one row per texture of a collection, fetched lazily in keyset pages.

The first page comes first (a first paint needs nothing more); then one COUNT sizes the scrollbar
for the whole collection, and rows are filled in page by page, in order, as far as the view has
asked (data() on a row not loaded yet answers a blank tile and asks for more). Every request
carries the model's generation: a result for a collection or filter the user has left is dropped.
Filtering and sorting are the store's job.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from server_api.store.entities import Texture, TextureQuery
from server_api.store.qa_rules import counted
from vault_desktop.models.roles import (
    QaRole,
    SubtitleRole,
    TagsRole,
    TextureIdRole,
    ThumbnailRole,
    VersionIdRole,
)
from vault_desktop.models.thumbnails import ThumbnailCache

PAGE_SIZE = 1000
FIRST_PAGE_SIZE = 200  # a screenful or two: the first paint waits for this page only
EVERYWHERE = -1  # the scope instead of a collection id: every collection the user can read


class GridRow(NamedTuple):
    """What one tile needs; small on purpose (100,000 of them stay in memory)."""

    texture_id: int
    version_id: int
    name: str
    format: str
    width: int
    height: int
    bit_depth: int
    has_alpha: bool
    where: str = ""  # the collection's name, in a search everywhere
    tags: tuple[str, ...] = ()
    colour_space: str = "unknown"  # the stored one: the viewer shows data maps as data
    qa_errors: int = 0  # the QA badge (store/qa_rules.py): straight from the listing, no query per tile
    qa_warnings: int = 0
    distance: float | None = None  # sorted by rank: how far from the similar:/colour: asked for


def to_row(t: Texture, where: str = "") -> GridRow:
    v = t.current
    return GridRow(t.id, v.id, t.name, v.format, v.width, v.height, v.bit_depth, v.has_alpha, where, t.tags,
                   v.colour_space, v.qa_errors, v.qa_warnings, t.distance)


def distance_words(row: GridRow) -> str:
    """The tooltip's rank line: hash bits for similar:, ΔE of the nearest dominant colour for colour:."""
    return "" if row.distance is None else f"\nDistance: {row.distance:g} (nearest first)"


def qa_words(row: GridRow) -> str:
    """A tooltip's QA line ("QA: 1 error, 2 warnings"); nothing when the rules found nothing."""
    return f"\nQA: {counted(row.qa_errors, row.qa_warnings)}" if row.qa_errors or row.qa_warnings else ""


def subtitle(row: GridRow) -> str:
    text = f"{row.format} · {row.width}×{row.height}"
    if row.bit_depth != 8:
        text += f" · {row.bit_depth}-bit"
    if row.distance is not None:  # nearest first: the distance leads, the tiles read as a ranking
        text = f"Δ {row.distance:g} · {text}"
    return f"{row.where} · {text}" if row.where else text


def fetch_page(store, collection_id: int, query: TextureQuery, cursor: str | None, limit: int):
    """Worker job: one page, already shrunk to GridRows (less to hand across threads)."""
    if collection_id == EVERYWHERE:
        found = store.search_textures(query, limit=limit, cursor=cursor)
        return [to_row(f.texture, f.collection) for f in found.items], found.next
    page = store.list_textures(collection_id, query, limit=limit, cursor=cursor)
    return [to_row(t) for t in page.items], page.next


class TextureGridModel(QAbstractListModel):
    loaded = Signal()  # the first page (or an empty answer) arrived for the current generation
    completed = Signal()  # every row of the current generation is loaded
    failed = Signal(object)  # an exception from a listing job

    def __init__(self, runner, thumbnails: ThumbnailCache, parent=None):
        super().__init__(parent)
        self._runner = runner
        self._thumbs = thumbnails
        self._thumbs.ready.connect(self._thumbnail_ready)
        self._store = None
        self._collection_id: int | None = None
        self._query = TextureQuery()
        self._generation = 0
        self._rows: list[GridRow] = []
        self._total = 0
        self._cursor: str | None = None
        self._complete = True
        self._fetching = False
        self._wanted = 0
        self._row_of_texture: dict[int, int] = {}
        self._row_of_version: dict[int, int] = {}

    # ---- what the window drives ------------------------------------------------------------
    def open(self, store, collection_id: int | None, query: TextureQuery = TextureQuery(),
             first_page=None) -> None:
        """Show ``collection_id`` filtered by ``query`` (None shows nothing); ``first_page``: its
        first page, already fetched (reload)."""
        self._generation += 1
        self.beginResetModel()
        self._store, self._collection_id, self._query = store, collection_id, query
        self._rows, self._total, self._cursor = [], 0, None
        self._row_of_texture.clear()
        self._row_of_version.clear()
        self._complete = collection_id is None or store is None
        self._fetching = False
        self._wanted = FIRST_PAGE_SIZE
        self.endResetModel()
        if self._complete:
            self.loaded.emit()
            return
        if first_page is not None:
            self._fetching = True
            self._page_arrived(self._generation, first_page)
            return
        self._fetch_next()

    def reload(self) -> None:
        """The same listing again. Today's rows stay on screen until the new first page is here, so
        a refresh that fails (the server is gone) leaves the grid and its count as they were."""
        if self._store is None or self._collection_id is None or not self._rows:
            self.open(self._store, self._collection_id, self._query)
            return
        self._generation += 1
        gen, store, collection_id, query = self._generation, self._store, self._collection_id, self._query
        self._fetching = True  # nothing else is fetched for the old listing meanwhile

        def arrived(result) -> None:
            if gen != self._generation:
                return
            self.open(store, collection_id, query, first_page=result)

        self._runner.submit(fetch_page, store, collection_id, query, None, FIRST_PAGE_SIZE,
                            on_done=arrived, on_error=self._fail(gen))

    @property
    def query(self) -> TextureQuery:
        return self._query

    @property
    def collection_id(self) -> int | None:
        return self._collection_id

    def is_complete(self) -> bool:
        return self._complete and not self._fetching

    def loaded_count(self) -> int:
        return len(self._rows)

    def row_at(self, row: int) -> GridRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_texture(self, texture_id: int) -> int | None:
        return self._row_of_texture.get(texture_id)

    def update_texture(self, texture: Texture) -> None:
        """A texture changed (new current version): repaint its tile with the new thumbnail."""
        row = self._row_of_texture.get(texture.id)
        if row is None:
            return
        old = self._rows[row]
        self._row_of_version.pop(old.version_id, None)
        self._rows[row] = to_row(texture)
        self._row_of_version[texture.current.id] = row
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def ensure_loaded(self, row: int) -> None:
        """Fetch pages until ``row`` is loaded (used by End and by scrolling)."""
        if row >= len(self._rows) and not self._complete:
            self._wanted = max(self._wanted, row + 1)
            self._fetch_next()

    # ---- Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else max(self._total, len(self._rows))

    def flags(self, index):
        base = super().flags(index)
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = index.row()
        if r >= len(self._rows):
            self.ensure_loaded(r)
            return None
        row = self._rows[r]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == ThumbnailRole:
            return self._thumbs.pixmap(row.version_id)
        if role == SubtitleRole:
            return subtitle(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{row.name}\n{subtitle(row)}" + ("\nalpha" if row.has_alpha else "") + qa_words(row)
                    + distance_words(row))
        if role == TextureIdRole:
            return row.texture_id
        if role == VersionIdRole:
            return row.version_id
        if role == TagsRole:
            return row.tags
        if role == QaRole:
            return (row.qa_errors, row.qa_warnings) if row.qa_errors or row.qa_warnings else None
        return None

    # ---- background results -----------------------------------------------------------------
    def _fetch_next(self) -> None:
        loaded = len(self._rows)
        # All counted rows are in but the store gave a cursor: one more (usually empty) page ends it.
        at_counted_end = loaded == self._total and loaded > 0
        if self._fetching or self._complete or (loaded >= self._wanted and not at_counted_end):
            return
        self._fetching = True
        gen = self._generation
        limit = PAGE_SIZE if self._rows else FIRST_PAGE_SIZE
        self._runner.submit(fetch_page, self._store, self._collection_id, self._query, self._cursor, limit,
                            on_done=lambda res: self._page_arrived(gen, res), on_error=self._fail(gen))

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        """Only a search everywhere (no count) grows as the view reaches its end."""
        return (not parent.isValid() and self._collection_id == EVERYWHERE and not self._complete
                and not self._fetching)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if self.canFetchMore(parent):
            self._wanted = len(self._rows) + PAGE_SIZE
            self._fetch_next()

    def _counted(self, gen: int, total: int) -> None:
        if gen != self._generation or total <= self.rowCount():
            return
        self.beginInsertRows(QModelIndex(), self.rowCount(), total - 1)
        self._total = total
        self.endInsertRows()

    def _page_arrived(self, gen: int, result) -> None:
        if gen != self._generation:
            return
        rows, cursor = result
        first_page = not self._rows
        self._fetching = False
        start = len(self._rows)
        end = start + len(rows)
        grow = end > self.rowCount()
        if grow:
            self.beginInsertRows(QModelIndex(), self.rowCount(), end - 1)
        self._rows.extend(rows)
        for i, row in enumerate(rows, start):
            self._row_of_texture[row.texture_id] = i
            self._row_of_version[row.version_id] = i
        if grow:
            self.endInsertRows()
        elif rows:
            self.dataChanged.emit(self.index(start), self.index(end - 1))
        self._cursor = cursor
        if cursor is None:
            self._finish()
        if first_page:
            self.loaded.emit()
            if cursor is not None and self._collection_id != EVERYWHERE:
                # more than a page: count them for the scrollbar, after the paint (a search
                # everywhere has no count: the view asks for more at its end, canFetchMore)
                self._runner.submit(self._store.count_textures, self._collection_id, self._query,
                                    on_done=lambda n: self._counted(gen, n), on_error=self._fail(gen))
        self._fetch_next()

    def _finish(self) -> None:
        """The last page came: fewer textures than counted (some were deleted) shrink the grid."""
        self._complete = True
        if self._total > len(self._rows):
            self.beginRemoveRows(QModelIndex(), len(self._rows), self._total - 1)
            self._total = len(self._rows)
            self.endRemoveRows()
        self.completed.emit()

    def _thumbnail_ready(self, version_id: int) -> None:
        row = self._row_of_version.get(version_id)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [ThumbnailRole])

    def _fail(self, gen: int):
        def handler(exc: BaseException) -> None:
            if gen == self._generation:
                self._fetching = False
                self.failed.emit(exc)
        return handler
