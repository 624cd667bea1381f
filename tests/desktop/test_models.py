"""Every model passes Qt's model tester, and the grid model pages through the store lazily."""

from __future__ import annotations

from corpus import write_image
from desktop_helpers import bulk_textures

from server_api.store.entities import TextureQuery
from server_api.workflows.importing import import_file
from vault_desktop.models import texture_grid
from vault_desktop.models.collections import CollectionListModel
from vault_desktop.models.texture_grid import TextureGridModel
from vault_desktop.models.thumbnails import ThumbnailCache
from vault_desktop.models.timeline import VersionTimelineModel
from vault_desktop.tasks import Lanes


def make_grid(qapp, store):
    lanes = Lanes()
    thumbs = ThumbnailCache(lanes.reads)
    thumbs.set_store(store)
    return lanes, TextureGridModel(lanes.reads, thumbs)


def test_collection_model(qtmodeltester, local_store):
    local_store.create_collection("Bricks")
    local_store.create_collection("wood")
    model = CollectionListModel()
    model.set_collections(local_store.list_collections())
    qtmodeltester.check(model)
    assert [model.index(r).data() for r in range(2)] == ["Bricks", "wood"]


def test_grid_model_counts_first_then_loads_pages_on_demand(qtbot, qtmodeltester, local_store, tmp_path,
                                                             monkeypatch):
    monkeypatch.setattr(texture_grid, "FIRST_PAGE_SIZE", 50)
    monkeypatch.setattr(texture_grid, "PAGE_SIZE", 100)
    coll = local_store.create_collection("Many")
    bulk_textures(local_store, coll.id, 250, write_image(tmp_path / "src.png"))
    lanes, model = make_grid(None, local_store)
    model.open(local_store, coll.id)
    qtbot.waitUntil(lambda: model.rowCount() == 250 and model.loaded_count() == 50)
    qtbot.wait(50)
    assert model.loaded_count() == 50  # nothing asked for more yet
    qtmodeltester.check(model)
    assert model.index(249).data() is None  # not loaded yet: a blank tile, and a request
    qtbot.waitUntil(model.is_complete)
    assert model.loaded_count() == 250
    names = [model.index(r).data() for r in range(250)]
    assert names == sorted(names) and names[0] == "tex_000000.png"
    lanes.wait(5000)


def test_grid_model_filters_in_the_store_and_drops_stale_answers(qtbot, local_store, tmp_path):
    coll = local_store.create_collection("Mixed")
    bulk_textures(local_store, coll.id, 40, write_image(tmp_path / "src.png"))
    lanes, model = make_grid(None, local_store)
    model.open(local_store, coll.id, TextureQuery(text="format:tga"))
    model.open(local_store, coll.id, TextureQuery(text="depth:16"))  # the first answer is now stale
    qtbot.waitUntil(model.is_complete)
    qtbot.wait(50)
    assert model.rowCount() == 8  # every fifth of 40 claims 16 bits
    assert all(model.row_at(r).bit_depth == 16 for r in range(8))
    lanes.wait(5000)


def test_timeline_model(qtmodeltester, local_store, tmp_path):
    coll = local_store.create_collection("Wood")
    first = import_file(local_store, coll.id, write_image(tmp_path / "wood.png", seed=1))
    local_store.add_version(first.texture_id, str(write_image(tmp_path / "wood2.png", seed=2)), note="warmer")
    lanes = Lanes()
    model = VersionTimelineModel(ThumbnailCache(lanes.reads))
    texture = local_store.get_texture(first.texture_id)
    model.set_versions(texture, local_store.list_versions(texture.id))
    qtmodeltester.check(model)
    from vault_desktop.models.roles import BadgesRole

    assert [model.index(r).data() for r in range(2)] == ["v2", "v1"]
    assert model.index(0).data(BadgesRole) == ("current",)
    lanes.wait(5000)
