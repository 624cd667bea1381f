"""A material set dropped on the upload pane becomes one material, and a changed set dropped again
makes ONE new material version (not one per map), on a local vault and on a real server."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import pytest
from corpus import write_image
from live_server import LiveServer
from test_shared_fixtures import lanes  # noqa: F401 - fixtures

from vault_desktop.upload.pane import UploadPane
from vault_desktop.upload.queue import UploadQueue


@pytest.fixture(params=["local", "server"])
def store(request, tmp_path, local_store):
    if request.param == "local":
        yield local_store
        return
    server = LiveServer(tmp_path / "server").start()
    server.add_user("root", admin=True)
    yield server.store(server.login("root"))
    server.stop()


def drop_and_settle(qtbot, pane, paths) -> None:
    with qtbot.waitSignal(pane.queue.added):
        pane.drop_paths([str(p) for p in paths])
    qtbot.waitUntil(lambda: pane.queue.pending_count() == 0, timeout=60_000)


def test_a_dropped_set_makes_one_material_version_per_drop(qtbot, lanes, store, tmp_path):
    collection = store.create_collection("Sets")
    pane = UploadPane(UploadQueue(lanes), lanes)
    qtbot.addWidget(pane)
    pane.set_store(store, collection)
    qtbot.waitUntil(lambda: pane.target_collection_id() == collection.id, timeout=5_000)
    art = tmp_path / "art" / "Slate"
    roles = ("BaseColor", "Normal", "Roughness")
    for i, role in enumerate(roles):
        write_image(art / f"Slate_{role}.png", seed=i, size=(64, 64))

    drop_and_settle(qtbot, pane, [art])
    qtbot.waitUntil(lambda: len(store.list_materials(collection.id).items) == 1, timeout=20_000)
    (material,) = store.list_materials(collection.id).items
    assert material.name == "Slate" and material.version == 1
    assert sorted(m.role for m in material.maps) == ["base_color", "normal", "roughness"]

    for i, role in enumerate(roles):  # the artist repaints every map and drops the folder again
        write_image(art / f"Slate_{role}.png", seed=10 + i, size=(64, 64))
    drop_and_settle(qtbot, pane, [art])
    qtbot.waitUntil(lambda: store.get_material(material.id).version > 1, timeout=20_000)
    qtbot.wait(500)  # a per-map material version would have landed by now
    assert [v.number for v in store.list_material_versions(material.id)] == [2, 1]
    current = {m.texture_id: m.version_id for m in store.get_material(material.id).maps}
    assert current == {t: store.get_texture(t).current.id for t in current}  # every map's new version


def test_tag_with_folder_names(qtbot, lanes, store, tmp_path):
    """The pane's "Tag with folder names": files in dropped folders get the names of the folders
    below the dropped one; off (the default), a drop adds no tags."""
    collection = store.create_collection("Lib")
    pane = UploadPane(UploadQueue(lanes), lanes)
    qtbot.addWidget(pane)
    pane.set_store(store, collection)
    qtbot.waitUntil(lambda: pane.target_collection_id() == collection.id, timeout=5_000)
    root = tmp_path / "Library"
    write_image(root / "wood" / "oak" / "plank.png", seed=1)
    write_image(root / "loose.png", seed=2)
    write_image(tmp_path / "Other" / "stone" / "granite.png", seed=3)

    drop_and_settle(qtbot, pane, [tmp_path / "Other"])  # the box is off: no tags
    assert not pane.tag_folders.isChecked()
    pane.tag_folders.setChecked(True)
    drop_and_settle(qtbot, pane, [root])
    qtbot.waitUntil(lambda: {t.name for t in store.list_tags()} == {"wood", "oak"}, timeout=20_000)
    by_name = {t.name: t.id for t in store.list_textures(collection.id).items}
    assert set(store.texture_tags(by_name["plank.png"])) == {"wood", "oak"}
    assert store.texture_tags(by_name["loose.png"]) == [] and store.texture_tags(by_name["granite.png"]) == []
