"""Materials in the desktop: the Materials / Textures toggle of the filter bar, the material tiles,
and the material panel (maps with editable roles, the lit preview, versions with Make current,
Publish material); dropping files or a folder of maps on a material tile makes new versions of the
matching maps and one material version (workflows/material_drop.py)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

from server_api.core.wording import counted
from server_api.store.entities import TextureQuery
from server_api.store.material_entities import MATERIAL_ROLES, Material
from server_api.workflows.material_drop import DropResult, drop_onto_material
from server_api.workflows.material_publishing import publish_material
from server_api.workflows.publish_roots import PublishNotApproved
from vault_desktop.publish_jobs import publish_or_ask
from vault_desktop.qimages import decode_to_qimage
from vault_desktop.views.material_grid import MaterialGridView, badge
from vault_desktop.views.material_panel import MaterialPanel
from vault_desktop.window_context import WindowContext

PREVIEW_ROLES = ("base_color", "normal", "roughness")
PREVIEW_SIDE = 256
PAGE = 120  # material tiles fetched at once (with a thumbnail per map); more as the user scrolls
LOOSE = TextureQuery(text="-role:" + ",".join(MATERIAL_ROLES))  # textures in no material


def load_material_page(store, collection_id: int, cursor: str | None):
    """Worker job: one page of materials and a thumbnail per map, and where the next page starts."""
    page = store.list_materials(collection_id, limit=PAGE, cursor=cursor)
    images = {m.texture_id: decode_to_qimage(store.version_thumbnail(m.version_id))
              for material in page.items for m in material.maps}
    return page.items, images, page.next


def load_loose_page(store, collection_id: int, cursor: str | None):
    """Worker job: one page of the textures in no material (shown after every material)."""
    page = store.list_textures(collection_id, LOOSE, limit=PAGE, cursor=cursor)
    loose = [(t.id, t.name, decode_to_qimage(store.version_thumbnail(t.current.id))) for t in page.items]
    return loose, page.next


def load_badges(store, collection_id: int) -> dict[int, str]:
    """Worker job: texture id -> the badge of its role, for every map of the collection's materials."""
    badges: dict[int, str] = {}
    cursor = None
    while True:
        page = store.list_materials(collection_id, limit=1000, cursor=cursor)
        for material in page.items:
            badges.update((m.texture_id, badge(m.role, m.normal_convention)) for m in material.maps)
        cursor = page.next
        if cursor is None:
            return badges


def load_material(store, material_id: int):
    """Worker job: the material, its versions and the pixels the lit preview shades."""
    material = store.get_material(material_id)
    pixels: dict[str, np.ndarray] = {}
    for role in PREVIEW_ROLES:
        found = next((m for m in material.maps if m.role == role), None)
        if found is None:
            continue
        with Image.open(io.BytesIO(store.version_thumbnail(found.version_id))) as img:
            img = img.convert("L" if role == "roughness" else "RGB").resize((PREVIEW_SIDE, PREVIEW_SIDE))
            pixels[role] = np.asarray(img)
    normal = next((m for m in material.maps if m.role == "normal"), None)
    directx = normal is not None and normal.normal_convention == "directx"
    return material, store.list_material_versions(material_id), pixels, directx


class _Paging:
    """Where the Materials view's listing has got to: materials first, then the loose textures."""

    def __init__(self, store, collection_id: int, keep: int | None):
        self.store, self.collection_id, self.keep = store, collection_id, keep
        self.phase = "materials"  # then "loose", then "done"
        self.cursor: str | None = None
        self.busy = False
        self.shown = 0
        self.loose_shown = 0


class MaterialsController(QObject):
    modeChanged = Signal(bool)  # True: the Materials view

    def __init__(self, context: WindowContext, texture_grid: QWidget):
        super().__init__(context)
        self.context = context
        parent = context.dialog_parent
        self.texture_grid = texture_grid
        self.grid = MaterialGridView(parent)
        self.grid.hide()
        self.panel = MaterialPanel(parent)
        self.toggle = QWidget(parent)
        row = QHBoxLayout(self.toggle)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.textures_button = QToolButton(self.toggle, text="Textures", checkable=True, checked=True)
        self.materials_button = QToolButton(self.toggle, text="Materials", checkable=True)
        buttons = QButtonGroup(self.toggle)
        for button in (self.textures_button, self.materials_button):
            buttons.addButton(button)
            row.addWidget(button)
        self.materials_button.setToolTip("One tile per material (base colour and its maps)")
        self.materials_button.toggled.connect(self.set_materials_mode)
        self._paging: _Paging | None = None
        self.grid.moreWanted.connect(self._fetch_more)
        self.grid.materialChosen.connect(self.show_material)
        self.grid.textureChosen.connect(context.select_texture)  # its details, as in the Textures view
        self.grid.folderDropped.connect(self.drop_onto)
        self.panel.roleChosen.connect(self.set_role)
        self.panel.makeCurrentRequested.connect(self.make_current)
        self.panel.publishRequested.connect(self.publish)
        context.collectionChanged.connect(lambda _c: (self._forget(), self.reload()))
        context.texturesRefreshRequested.connect(self.reload)
        context.storeChanged.connect(lambda _s: (self._forget(), self.grid.clear()))

    def _forget(self) -> None:
        self.panel.show_material(None, [], False)
        self.texture_grid.itemDelegate().badges = {}

    @property
    def materials_mode(self) -> bool:
        return self.materials_button.isChecked()

    def set_materials_mode(self, on: bool) -> None:
        self.materials_button.setChecked(on)
        self.grid.setVisible(on)
        self.texture_grid.setVisible(not on)
        self.modeChanged.emit(on)
        self.reload()

    # ---- the tiles: materials page by page, then the loose textures page by page ----------------
    def reload(self) -> None:
        collection, store = self.context.current_collection(), self.context.store
        if collection is None or store is None:
            return
        if not self.materials_mode:
            self._reload_badges(store, collection.id)
            return
        keep = self.panel.material.id if self.panel.material else None
        self._paging = _Paging(store, collection.id, keep)
        self._fetch_more()

    def _fetch_more(self) -> None:
        """The next page, if there is one and none is on its way (the grid asks near its end)."""
        paging = self._paging
        if paging is None or paging.busy or paging.phase == "done":
            return
        paging.busy = True

        def current() -> bool:
            now = self.context.current_collection()
            return (paging is self._paging and paging.store is self.context.store
                    and now is not None and now.id == paging.collection_id)

        def materials_arrived(answer) -> None:
            if not current():
                return
            materials, images, paging.cursor = answer
            first = paging.shown == 0
            self.grid.add_materials(materials, images, clear=first)
            paging.shown += len(materials)
            if paging.cursor is None:
                paging.phase = "loose"
            self._page_done(paging)

        def loose_arrived(answer) -> None:
            if not current():
                return
            loose, paging.cursor = answer
            self.grid.add_loose(loose, clear=paging.shown == 0 and paging.loose_shown == 0)
            paging.loose_shown += len(loose)
            if paging.cursor is None:
                paging.phase = "done"
            self._page_done(paging)

        job, arrived = ((load_material_page, materials_arrived) if paging.phase == "materials"
                        else (load_loose_page, loose_arrived))
        self.context.lanes.reads.submit(job, paging.store, paging.collection_id, paging.cursor,
                                        on_done=arrived, on_error=self._page_failed)

    def _page_done(self, paging: _Paging) -> None:
        paging.busy = False
        if paging.keep is not None and self.grid.select_material(paging.keep):
            paging.keep = None
        more = "" if paging.phase == "done" else " (scroll for more)"
        self.context.status(f"{counted(paging.shown, 'material')}{more}", 4000)
        if self.grid.wants_more():  # the page did not fill the view: keep going
            self._fetch_more()

    def _page_failed(self, error) -> None:
        if self._paging is not None:
            self._paging.busy = False
        self.context.report_error(error)

    def _reload_badges(self, store, collection_id: int) -> None:
        """The role badges on the texture tiles of maps."""
        delegate = self.texture_grid.itemDelegate()

        def arrived(badges: dict[int, str]) -> None:
            now = self.context.current_collection()
            if store is self.context.store and now is not None and now.id == collection_id:
                delegate.badges = badges
                self.texture_grid.viewport().update()

        self.context.lanes.reads.submit(load_badges, store, collection_id, on_done=arrived,
                                        on_error=self.context.report_error)

    # ---- the panel --------------------------------------------------------------------------
    def show_material(self, material_id: int | None) -> None:
        store = self.context.store
        if material_id is None or store is None:
            self.panel.show_material(None, [], False)
            return

        def arrived(answer) -> None:
            if store is self.context.store:
                material, versions, pixels, directx = answer
                self.panel.show_material(material, versions, self.context.can_write())
                self.panel.preview.set_maps(pixels, directx=directx)

        self.context.lanes.reads.submit(load_material, store, material_id, on_done=arrived,
                                        on_error=self.context.report_error)

    def _changed(self, material: Material) -> None:
        self.show_material(material.id)
        self.reload()
        self.context.refresh_textures()

    def set_role(self, texture_id: int, role: str) -> None:
        material = self.panel.material
        if material is None:
            return
        self.context.write(lambda store: store.set_map_role(material.id, texture_id, role),
                           action="Change role",
                           on_done=lambda m: (self.context.status(f"{m.name}: now v{m.version}", 6000),
                                              self._changed(m)))

    def make_current(self, number: int) -> None:
        material = self.panel.material
        if material is None:
            return
        self.context.write(lambda store: store.set_current_material_version(material.id, number),
                           action="Make current",
                           on_done=lambda m: (self.context.status(f"{m.name}: v{number} is current", 6000),
                                              self._changed(m)))

    def publish(self, approve: str | None = None) -> None:
        material = self.panel.material
        if material is None:
            return
        if approve is None and not self.context.confirm(
            "Publish material", f"Write the current version of every map of “{material.name}” to its "
            "original path? Every file is written before the first one is replaced.", "Publish"
        ):
            return

        def done(result) -> None:
            if isinstance(result, PublishNotApproved):
                text = (f"A map of “{material.name}” would be written to\n\n{result.target}\n\noutside the "
                        f"folders you approved for publishing from this vault. Approve\n\n{result.folder}"
                        "\n\n(and the folders in it) and publish?")
                if self.context.confirm("Publish outside approved folders", text, "Approve and publish"):
                    self.publish(str(result.folder))
                return
            maps = counted(len(result.published), "map")
            self.context.status(f"Published {maps} of “{material.name}” (v{result.version})", 8000)

        self.context.write(publish_or_ask, material.id, approve, publish_material, action="Publish material",
                           on_done=done)

    def drop_onto(self, material_id: int, paths: list[str]) -> None:
        if not self.context.can_write():
            return

        def done(result: DropResult) -> None:
            said = f"{result.material.name}: {counted(len(result.versioned), 'new map version')}"
            if result.versioned:
                said += f", material v{result.material.version}"
            if result.skipped:
                said += f"; left out {counted(len(result.skipped), 'file')} ({result.skipped[0][1]})"
            self.context.status(said, 12000)
            self.grid.select_material(material_id)
            self._changed(result.material)

        self.context.write(drop_onto_material, material_id, paths, action="Drop onto material", on_done=done)
