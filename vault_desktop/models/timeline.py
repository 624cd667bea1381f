"""The version timeline's model: every version of one texture, newest first."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from server_api.store.entities import Texture, Version
from vault_desktop.formatting import human_size, human_time
from vault_desktop.models.roles import BadgesRole, EntityRole, SubtitleRole, ThumbnailRole, VersionIdRole
from vault_desktop.models.thumbnails import ThumbnailCache


class VersionTimelineModel(QAbstractListModel):
    def __init__(self, thumbnails: ThumbnailCache, parent=None):
        super().__init__(parent)
        self._thumbs = thumbnails
        self._thumbs.ready.connect(self._thumbnail_ready)
        self._texture: Texture | None = None
        self._versions: list[Version] = []

    def set_versions(self, texture: Texture | None, versions: list[Version]) -> None:
        self.beginResetModel()
        self._texture = texture
        self._versions = list(versions)
        self.endResetModel()

    @property
    def texture(self) -> Texture | None:
        return self._texture

    def version_at(self, row: int) -> Version | None:
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._versions)

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDropEnabled if index.isValid() else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._versions):
            return None
        v = self._versions[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"v{v.number}"
        if role == SubtitleRole:
            return f"{v.created_by} · {human_time(v.created_at)} · {human_size(v.byte_size)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            note = f"\n{v.note}" if v.note else ""
            return f"v{v.number}: {v.format} {v.width}×{v.height}, {human_size(v.byte_size)}{note}"
        if role == ThumbnailRole:
            return self._thumbs.pixmap(v.id)
        if role == VersionIdRole:
            return v.id
        if role == EntityRole:
            return v
        if role == BadgesRole:
            return self._badges(v)
        return None

    def _badges(self, v: Version) -> tuple[str, ...]:
        badges = []
        if v.is_current:
            badges.append("current")
        if self._texture is not None and self._texture.published_version_id == v.id:
            badges.append("published")
        return tuple(badges)

    def _thumbnail_ready(self, version_id: int) -> None:
        for row, v in enumerate(self._versions):
            if v.id == version_id:
                index = self.index(row)
                self.dataChanged.emit(index, index, [ThumbnailRole])
