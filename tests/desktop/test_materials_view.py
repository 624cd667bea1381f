"""Materials in a real window over a real local vault: the Materials / Textures toggle, a tile per
material, the panel (maps with editable roles, versions with Make current, the lit preview, Publish
material asking before writing outside approved folders), and a folder dropped on a tile."""

from __future__ import annotations

from corpus import write_image
from desktop_helpers import answer_next_dialog, open_collection
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from server_api.workflows.importing import import_paths
from server_api.workflows.material_import import group_imported
from vault_desktop.views.material_grid import MaterialIdRole


def imported_set(store, tmp_path):
    collection = store.create_collection("Sets")
    art = tmp_path / "art"
    for i, role in enumerate(("BaseColor", "Normal", "Roughness")):
        write_image(art / f"Slate_{role}.png", seed=i, size=(96, 96))
    write_image(art / "lonely.png", seed=9)
    results = import_paths(store, collection.id, [str(p) for p in sorted(art.iterdir())])
    (material,) = group_imported(store, collection.id, results)
    return store.get_collection(collection.id), material, art


def shown_material(qtbot, window, material_id):
    materials = window.materials
    qtbot.waitUntil(lambda: materials.grid.count() >= 1, timeout=10_000)
    materials.grid.select_material(material_id)
    qtbot.waitUntil(lambda: materials.panel.material is not None
                    and materials.panel.material.id == material_id, timeout=10_000)
    return materials.panel


def test_the_toggle_tiles_and_panel(qtbot, window, local_store, tmp_path):
    collection, material, art = imported_set(local_store, tmp_path)
    open_collection(qtbot, window, collection)
    assert window.grid.isVisibleTo(window) and not window.materials.grid.isVisibleTo(window)
    delegate = window.grid.itemDelegate()  # map tiles carry their role as a badge
    qtbot.waitUntil(lambda: len(delegate.badges) == 3, timeout=10_000)
    assert sorted(delegate.badges.values()) == ["BC", "N", "R"]  # no convention in the name: plain N
    assert not set(delegate.badges) - {m.texture_id for m in material.maps}  # never the lone texture
    window.materials.materials_button.click()
    assert window.materials.grid.isVisibleTo(window) and not window.grid.isVisibleTo(window)
    panel = shown_material(qtbot, window, material.id)
    qtbot.waitUntil(lambda: window.materials.grid.count() == 2)  # the material, then the lone texture
    assert window.materials.grid.item(0).data(MaterialIdRole) == material.id
    lone = window.materials.grid.item(1)
    assert lone.text() == "lonely.png" and lone.data(MaterialIdRole) is None
    assert window.materials.grid.item(0).text() == "Slate · v1"
    assert "3 maps" in window.materials.grid.item(0).toolTip()
    assert panel.maps.rowCount() == 3 and panel.preview.has_maps()
    assert window.versions.side_tabs.currentWidget() is panel

    rough = next(m for m in material.maps if m.role == "roughness")
    panel.role_combo(rough.texture_id).setCurrentText("glossiness")  # the artist corrects a role
    qtbot.waitUntil(lambda: local_store.get_material(material.id).version == 2, timeout=10_000)
    roles = {m.role for m in local_store.get_material(material.id).maps}
    assert roles == {"base_color", "normal", "glossiness"}
    qtbot.waitUntil(lambda: panel.versions.count() == 2, timeout=10_000)

    panel.versions.setCurrentRow(1)  # v1
    assert panel.make_current.isEnabled()
    panel.make_current.click()
    qtbot.waitUntil(lambda: local_store.get_material(material.id).version == 1, timeout=10_000)
    assert "roughness" in {m.role for m in local_store.get_material(material.id).maps}

    qtbot.waitUntil(lambda: window.materials.grid.count() == 2)  # the grid was built again after the writes
    window.materials.grid.setCurrentRow(1)  # a loose texture's tile shows its details
    qtbot.waitUntil(lambda: getattr(window.current_texture(), "name", None) == "lonely.png", timeout=10_000)
    window.materials.textures_button.click()
    assert window.grid.isVisibleTo(window) and not window.materials.grid.isVisibleTo(window)


def test_publish_material_asks_before_writing_outside_approved_folders(qtbot, window, local_store, tmp_path):
    collection, material, art = imported_set(local_store, tmp_path)
    open_collection(qtbot, window, collection)
    window.materials.materials_button.click()
    panel = shown_material(qtbot, window, material.id)
    original = (art / "Slate_Normal.png").read_bytes()
    write_image(art / "Slate_Normal.png", seed=77)  # painted over outside the vault
    seen: list[str] = []
    answer_next_dialog("Publish", seen)
    answer_next_dialog("Approve and publish", seen)
    panel.publish.click()
    qtbot.waitUntil(lambda: (art / "Slate_Normal.png").read_bytes() == original, timeout=15_000)
    assert str(art) in seen[1]  # the question shows the folder it approves
    qtbot.waitUntil(lambda: "Published 3 maps" in window.statusBar().currentMessage(), timeout=10_000)


def test_a_folder_dropped_on_a_material_tile(qtbot, window, local_store, tmp_path):
    collection, material, art = imported_set(local_store, tmp_path)
    open_collection(qtbot, window, collection)
    window.materials.materials_button.click()
    shown_material(qtbot, window, material.id)
    export = tmp_path / "export"
    write_image(export / "slate_basecolor.png", seed=30, size=(96, 96))
    write_image(export / "slate_normal.png", seed=31, size=(96, 96))
    grid = window.materials.grid
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(export))])
    centre = QPointF(grid.visualItemRect(grid.item(0)).center())
    drop = QDropEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    grid.dropEvent(drop)
    qtbot.waitUntil(lambda: local_store.get_material(material.id).version == 2, timeout=10_000)
    after = local_store.get_material(material.id)
    assert sorted(m.version_number for m in after.maps) == [1, 2, 2] and after.version_count == 2
    qtbot.waitUntil(lambda: "material v2" in window.statusBar().currentMessage(), timeout=10_000)


def test_the_materials_view_pages_as_the_user_scrolls(qtbot, window, local_store, tmp_path):
    """More materials than one page: the first page shows at once, scrolling to the end brings every
    other material and then the loose textures, each once (no cap, no duplicates)."""
    from PIL import Image

    from server_api.store.material_entities import MapSpec
    from server_api.store.sql.bulk import BulkTexture
    from vault_desktop.controllers.materials import PAGE
    from vault_desktop.views.material_grid import LooseTextureRole

    source = tmp_path / "source.png"
    Image.effect_noise((64, 64), 40).convert("RGB").save(source)
    collection = local_store.create_collection("Many")
    count = PAGE * 2 + 7
    ids = local_store.bulk_add_textures(
        collection.id, [BulkTexture(original_path=f"/art/m{i:04d}_{r}.png")
                        for i in range(count) for r in ("basecolor", "normal")] +
        [BulkTexture(original_path=f"/art/loose{i}.png") for i in range(3)], str(source))
    for i in range(count):
        local_store.create_material(collection.id, f"M{i:04d}",
                                    [MapSpec(ids[2 * i], "base_color"), MapSpec(ids[2 * i + 1], "normal")])
    open_collection(qtbot, window, local_store.get_collection(collection.id))
    window.materials.materials_button.click()
    grid = window.materials.grid
    qtbot.waitUntil(lambda: grid.count() >= PAGE, timeout=20_000)
    assert grid.count() < count  # one page (or two when it did not fill the view), not everything
    for _ in range(40):  # the artist scrolls to the end until nothing more arrives
        grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum())
        qtbot.wait(150)
        if grid.count() == count + 3:
            break
    qtbot.waitUntil(lambda: grid.count() == count + 3, timeout=20_000)
    shown = [grid.item(r).data(MaterialIdRole) for r in range(count)]
    assert len(set(shown)) == count and None not in shown
    loose = {grid.item(r).data(LooseTextureRole) for r in range(count, count + 3)}
    assert loose == set(ids[-3:])
