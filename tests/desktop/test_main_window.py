"""The main window over a real local vault: sidebar, grid, details, the colleague-facing API."""

from __future__ import annotations

from corpus import write_image
from desktop_helpers import open_collection
from PySide6.QtWidgets import QMenu

from server_api.store.entities import Collection
from server_api.workflows.importing import import_file


def test_sidebar_lists_collections_with_count_level_and_shared_marker(qtbot, window, local_store, tmp_path):
    bricks = local_store.create_collection("Bricks")
    local_store.create_collection("Wood")
    import_file(local_store, bricks.id, write_image(tmp_path / "brick_wall_albedo.png", "png_rgb"))
    local_store.create_user("bob", None)
    local_store.set_grant(bricks.id, "bob", "read")
    window.refresh_collections()
    qtbot.waitUntil(lambda: window.sidebar.model.rowCount() == 2)
    from vault_desktop.models.roles import SubtitleRole

    model = window.sidebar.model
    assert [model.index(r).data() for r in range(2)] == ["Bricks", "Wood"]
    assert model.index(0).data(SubtitleRole) == "1 texture · owner · shared"
    assert model.index(1).data(SubtitleRole) == "0 textures · owner"


def test_opening_a_collection_shows_tiles_and_details_of_the_selection(qtbot, window, local_store, tmp_path):
    coll = local_store.create_collection("Bricks")
    for i, kind in enumerate(("png_rgb", "png_16", "tga")):
        path = write_image(tmp_path / f"brick_{i}.{kind[:3]}", kind, (96, 64), seed=i)
        import_file(local_store, coll.id, path)
    changed = []
    window.collectionChanged.connect(changed.append)
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 3)
    assert isinstance(changed[-1], Collection) and changed[-1].id == coll.id
    assert window.count_label.text() == "3 textures"

    texture = local_store.list_textures(coll.id).items[1]
    window.select_texture(texture.id)
    qtbot.waitUntil(lambda: getattr(window.current_texture(), "id", None) == texture.id)
    assert window.detail.text_of("Name") == texture.name
    assert window.detail.text_of("Dimensions") == "96 × 64"
    assert window.detail.text_of("Original path") == texture.original_path
    assert window.detail.text_of("Bit depth") == f"{texture.current.bit_depth}-bit per channel"
    assert window.detail.text_of("Colour space") == texture.current.colour_space  # stored at import
    assert window.timeline_model.rowCount() == 1


def test_thumbnails_arrive_for_visible_tiles(qtbot, window, local_store, tmp_path):
    coll = local_store.create_collection("Noise")
    import_file(local_store, coll.id, write_image(tmp_path / "noise.png", "png_rgb", (300, 200)))
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    from vault_desktop.models.roles import ThumbnailRole

    index = window.grid_model.index(0)
    window.grid.viewport().repaint()  # painting asks for the thumbnail
    qtbot.waitUntil(lambda: index.data(ThumbnailRole) is not None, timeout=5000)
    assert index.data(ThumbnailRole).width() == 256


def test_menus_and_close_guard(qtbot, window):
    for name in ("File", "Edit", "View", "Collection", "Help"):
        assert isinstance(window.menu(name), QMenu)
    answers = [False]
    window.add_close_guard(lambda: answers[0])
    assert not window.close()
    assert window.isVisible()
    answers[0] = True
    assert window.close()
