"""The material panel: its maps with their roles (each editable), the lit preview, its versions
(newest first, the current one marked) with Make current, and Publish material. A view only: the
materials controller fills it and answers its signals."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from server_api.store.material_entities import MATERIAL_ROLES, Material, MaterialVersion
from vault_desktop.views.lit_preview import LitPreview


def role_label(role: str, convention: str | None = None) -> str:
    text = role.replace("_", " ")
    return f"{text} ({'DirectX' if convention == 'directx' else 'OpenGL'})" if convention else text


class MaterialPanel(QWidget):
    roleChosen = Signal(int, str)  # texture id, new role
    makeCurrentRequested = Signal(int)  # material version number
    publishRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("materialPanel")
        self.material: Material | None = None
        self._can_write = False
        self.title = QLabel("No material chosen", self)
        self.title.setObjectName("materialTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.preview = LitPreview(self)
        self.on_sphere = QCheckBox("On a sphere", self)
        self.on_sphere.setToolTip("Show the maps wrapped on a sphere instead of a flat plane")
        self.on_sphere.toggled.connect(self.preview.set_sphere)
        self.maps = QTableWidget(0, 2, self)
        self.maps.setHorizontalHeaderLabels(["Map", "Role"])
        self.maps.horizontalHeader().setStretchLastSection(True)
        self.maps.verticalHeader().hide()
        self.maps.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.versions = QListWidget(self)
        self.make_current = QPushButton("Make current", self)
        self.make_current.setEnabled(False)
        self.publish = QPushButton("Publish material", self)
        self.publish.setEnabled(False)
        self.publish.setToolTip("Write every map's current version to its original path, together")
        self.versions.currentItemChanged.connect(self._version_chosen)
        self.make_current.clicked.connect(self._make_current)
        self.publish.clicked.connect(self.publishRequested)

        col = QVBoxLayout(self)
        col.setContentsMargins(10, 10, 10, 10)
        col.addWidget(self.title)
        col.addWidget(self.preview, 3)
        col.addWidget(self.on_sphere)
        col.addWidget(QLabel("Maps", self))
        col.addWidget(self.maps, 2)
        col.addWidget(QLabel("Versions", self))
        col.addWidget(self.versions, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.make_current)
        buttons.addStretch(1)
        buttons.addWidget(self.publish)
        col.addLayout(buttons)

    def show_material(
        self, material: Material | None, versions: list[MaterialVersion], can_write: bool
    ) -> None:
        self.material, self._can_write = material, can_write
        self.maps.setRowCount(0)
        self.versions.clear()
        if material is None:
            self.title.setText("No material chosen")
            self.publish.setEnabled(False)
            self.make_current.setEnabled(False)
            self.preview.set_maps({})
            return
        self.title.setText(f"{material.name} · v{material.version}")
        self.maps.setRowCount(len(material.maps))
        for row, m in enumerate(material.maps):
            name = QLabel(f"{m.name}  v{m.version_number}", self.maps)
            name.setToolTip(m.name)
            self.maps.setCellWidget(row, 0, name)
            combo = QComboBox(self.maps)
            combo.addItems([role_label(r) for r in MATERIAL_ROLES])
            combo.setCurrentIndex(MATERIAL_ROLES.index(m.role))
            combo.setEnabled(can_write)
            combo.currentIndexChanged.connect(
                lambda i, texture_id=m.texture_id: self.roleChosen.emit(texture_id, MATERIAL_ROLES[i]))
            self.maps.setCellWidget(row, 1, combo)
        self.maps.resizeColumnToContents(0)
        for v in versions:
            roles = ", ".join(f"{role_label(m.role)} v{m.version_number}" for m in v.maps)
            mark = "● " if v.is_current else "   "
            when = f"{v.created_at:%Y-%m-%d %H:%M}"
            item = QListWidgetItem(f"{mark}v{v.number}  {when}  {v.created_by}\n    {roles}")
            item.setData(Qt.ItemDataRole.UserRole, v.number)
            item.setToolTip(v.note or roles)
            self.versions.addItem(item)
        self.publish.setEnabled(bool(material.maps))
        self.make_current.setEnabled(False)

    def role_combo(self, texture_id: int) -> QComboBox | None:
        if self.material is None:
            return None
        for row, m in enumerate(self.material.maps):
            if m.texture_id == texture_id:
                return self.maps.cellWidget(row, 1)
        return None

    def _version_chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        current = self.material.version if self.material else None
        self.make_current.setEnabled(self._can_write and chosen not in (None, current))

    def _make_current(self) -> None:
        item = self.versions.currentItem()
        if item is not None:
            self.makeCurrentRequested.emit(item.data(Qt.ItemDataRole.UserRole))
