"""The Materials view of the grid: one tile per material, its base colour large with a strip of map
chips under it (each chip the map's thumbnail with its role's short name as a badge). Folders of
maps dropped on a tile are offered to the controller (new versions of that material's maps)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

from server_api.store.material_entities import Material

TILE = 176
STRIP = 40
# short names for the badges, as artists write them in file names
BADGES = {"base_color": "BC", "normal": "N", "bump": "B", "roughness": "R", "glossiness": "G",
          "metallic": "M", "ambient_occlusion": "AO", "height": "H", "opacity": "O", "emissive": "E",
          "specular": "S", "transmission": "T", "orm": "ORM", "other": "?"}
MaterialIdRole = Qt.ItemDataRole.UserRole + 40
LooseTextureRole = Qt.ItemDataRole.UserRole + 41  # a texture in no material, shown as before


def badge(role: str, convention: str | None = None) -> str:
    short = BADGES.get(role, "?")
    return short + ("dx" if convention == "directx" else "gl" if convention == "opengl" else "")


def material_tile(material: Material, images: dict[int, QImage]) -> QPixmap:
    """The tile: the base colour (or the first map) above a strip of chips, one per map."""
    pixmap = QPixmap(TILE, TILE)
    pixmap.fill(QColor(40, 42, 46))
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    first = material.maps[0] if material.maps else None
    hero = next((m for m in material.maps if m.role == "base_color"), first)
    if hero is not None and hero.texture_id in images:
        p.drawImage(QRect(0, 0, TILE, TILE - STRIP), _cropped(images[hero.texture_id], TILE, TILE - STRIP))
    maps = material.maps[:6]
    chip = min(STRIP - 4, (TILE - 4) // max(len(maps), 1) - 4)
    font = QFont(p.font())
    font.setPixelSize(10)
    font.setBold(True)
    p.setFont(font)
    for i, m in enumerate(maps):
        box = QRect(4 + i * (chip + 4), TILE - STRIP + 2, chip, chip)
        if m.texture_id in images:
            p.drawImage(box, _cropped(images[m.texture_id], chip, chip))
        text = badge(m.role, m.normal_convention)
        label = QRect(box.left(), box.bottom() - 12, box.width(), 13)
        p.fillRect(label, QColor(0, 0, 0, 170))
        p.setPen(QColor(255, 255, 255))
        p.drawText(label, Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return pixmap


def _cropped(image: QImage, width: int, height: int) -> QImage:
    """Fill the box, cropping the overflow (a tile keeps its shape for any image)."""
    scaled = image.scaled(width, height, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                          Qt.TransformationMode.SmoothTransformation)
    return scaled.copy((scaled.width() - width) // 2, (scaled.height() - height) // 2, width, height)


class MaterialGridView(QListWidget):
    materialChosen = Signal(object)  # material id, or None
    textureChosen = Signal(int)  # a loose texture's tile
    folderDropped = Signal(int, list)  # material id, the dropped paths
    moreWanted = Signal()  # scrolled near the end: the controller fetches the next page

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("materialGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(TILE, TILE))
        self.setGridSize(QSize(TILE + 40, TILE + 34))
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps the version at the end
        self.setSpacing(6)
        self.setWordWrap(True)
        self.setUniformItemSizes(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.currentItemChanged.connect(self._chosen)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        loose = item.data(LooseTextureRole) if item is not None else None
        if loose is not None:
            self.textureChosen.emit(loose)
        else:
            self.materialChosen.emit(item.data(MaterialIdRole) if item is not None else None)

    def add_materials(self, materials: list[Material], images: dict[int, QImage], *,
                      clear: bool = False) -> None:
        """A page of material tiles, after those shown (``clear``: instead of them)."""
        self.blockSignals(True)
        if clear:
            self.clear()
        for material in materials:
            item = QListWidgetItem(QIcon(material_tile(material, images)),
                                   f"{material.name} · v{material.version}")
            item.setData(MaterialIdRole, material.id)
            maps = ", ".join(f"{badge(m.role, m.normal_convention)} {m.name}" for m in material.maps)
            item.setToolTip(f"{material.name}: v{material.version}, {len(material.maps)} maps\n{maps}")
            self.addItem(item)
        self.blockSignals(False)

    def add_loose(self, loose: list[tuple[int, str, QImage | None]], *, clear: bool = False) -> None:
        """A page of the textures in no material: (texture id, name, thumbnail), after the materials."""
        self.blockSignals(True)
        if clear:
            self.clear()
        for texture_id, name, image in loose:
            icon = QPixmap(TILE, TILE)
            icon.fill(QColor(40, 42, 46))
            if image is not None:
                p = QPainter(icon)
                p.drawImage(QRect(0, 0, TILE, TILE), _cropped(image, TILE, TILE))
                p.end()
            item = QListWidgetItem(QIcon(icon), name)
            item.setData(LooseTextureRole, texture_id)
            item.setToolTip(f"{name} (in no material)")
            self.addItem(item)
        self.blockSignals(False)

    def wants_more(self) -> bool:
        """True when the user has scrolled to within a screen of the last tile (or it all fits)."""
        bar = self.verticalScrollBar()
        return self.isVisible() and bar.value() >= bar.maximum() - max(self.viewport().height(), 1)

    def _scrolled(self, _value: int) -> None:
        if self.wants_more():
            self.moreWanted.emit()

    def select_material(self, material_id: int) -> bool:
        for row in range(self.count()):
            if self.item(row).data(MaterialIdRole) == material_id:
                self.setCurrentRow(row)
                return True
        return False

    # ---- dropping a folder of maps on a material ---------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if event.mimeData().hasUrls() and item is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if item is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.folderDropped.emit(item.data(MaterialIdRole), paths)
