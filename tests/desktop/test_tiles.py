"""Grid tiles as an artist sees them: the row filled at every zoom, a checkerboard under alpha,
names elided at the start so the map suffix stays readable."""

from __future__ import annotations

import pytest
from desktop_helpers import bulk_textures, open_collection
from PIL import Image
from PySide6.QtGui import QColor, QFont, QFontMetrics

from server_api.workflows.importing import import_file
from vault_desktop.checkerboard import DARK, LIGHT
from vault_desktop.models.roles import ThumbnailRole
from vault_desktop.views.tile_delegate import elided_name


def _columns(grid) -> int:
    model = grid.model()
    first_top = grid.rectForIndex(model.index(0, 0)).top()
    return sum(1 for r in range(model.rowCount()) if grid.rectForIndex(model.index(r, 0)).top() == first_top)


@pytest.mark.parametrize("texture_count", [6, 60])  # without and with a scroll bar
def test_the_columns_fill_the_row_at_every_zoom(qtbot, window, local_store, tmp_path, texture_count):
    coll = local_store.create_collection("Many")
    bulk_textures(local_store, coll.id, texture_count, write_tiny(tmp_path / "t.png"))
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == texture_count)
    grid = window.grid
    for width in (700, 1280):
        window.resize(width, 800)
        for zoom in (64, 96, 160, 256, 352, 384, 512):
            grid.set_zoom(zoom)
            grid.doItemsLayout()
            qtbot.wait(1)
            tile = grid.itemDelegate().tile_size().width()
            fits = max(1, grid.layout_width() // tile)
            shown = _columns(grid)
            assert shown == min(fits, texture_count), (width, zoom, shown, fits)
            if texture_count > fits:  # a full row: what is left on the right is less than a tile
                last = grid.rectForIndex(grid.model().index(shown - 1, 0))
                assert grid.viewport().width() - last.right() < tile, (width, zoom)


def test_transparent_parts_of_a_thumbnail_show_a_checkerboard(qtbot, window, local_store, tmp_path):
    coll = local_store.create_collection("Decals")
    image = Image.new("RGBA", (256, 256), (255, 255, 255, 0))  # white, fully transparent
    image.paste((200, 30, 30, 255), (0, 0, 128, 256))  # left half opaque red
    image.save(tmp_path / "decal_opacity.png")
    import_file(local_store, coll.id, tmp_path / "decal_opacity.png")
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    window.grid.set_zoom(160)
    index = window.grid_model.index(0)
    window.grid.viewport().repaint()
    qtbot.waitUntil(lambda: index.data(ThumbnailRole) is not None, timeout=5000)
    shot = window.grid.viewport().grab().toImage()
    rect = window.grid.visualRect(index)
    side = 160
    left = rect.left() + (rect.width() - side) // 2
    top = rect.top() + 8
    right_half = {shot.pixelColor(x, y).name() for x in range(left + side // 2 + 4, left + side - 4, 3)
                  for y in range(top + 4, top + side - 4, 3)}
    left_half = {shot.pixelColor(x, y).name() for x in range(left + 4, left + side // 2 - 4, 7)
                 for y in range(top + 4, top + side - 4, 7)}
    assert {QColor(LIGHT).name(), QColor(DARK).name()} <= right_half  # not white, not dark: the board
    assert QColor("#ffffff").name() not in right_half
    assert all(QColor(c).red() > 150 and QColor(c).green() < 80 for c in left_half)  # opaque stays red
    window.grab().save(str(tmp_path / "checkerboard.png"))


def test_names_are_elided_at_the_start_so_the_map_suffix_shows():
    metrics = QFontMetrics(QFont())
    name = "castle_outer_wall_large_bricks_mossy_albedo.png"
    shown = elided_name(name, metrics, metrics.horizontalAdvance("x" * 14))
    assert shown.startswith("…") and shown.endswith("_albedo.png")
    assert elided_name("rock.png", metrics, 200) == "rock.png"


def write_tiny(path):
    Image.new("RGB", (8, 8), (90, 90, 90)).save(path)
    return path


def test_tiles_above_256_px_draw_the_512_px_preview_within_the_cache_budget(qtbot, window, local_store,
                                                                            tmp_path):
    coll = local_store.create_collection("Big")
    Image.radial_gradient("L").resize((1024, 1024)).convert("RGB").save(tmp_path / "big_height.png")
    import_file(local_store, coll.id, tmp_path / "big_height.png")
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    index = window.grid_model.index(0)
    window.grid.set_zoom(160)
    window.grid.viewport().repaint()
    qtbot.waitUntil(lambda: index.data(ThumbnailRole) is not None, timeout=5000)
    assert index.data(ThumbnailRole).width() == 256

    window.grid.set_zoom(384)
    assert index.data(ThumbnailRole).width() == 256  # the thumbnail stands in meanwhile, no blank tile
    window.grid.viewport().repaint()
    qtbot.waitUntil(lambda: index.data(ThumbnailRole).width() == 512, timeout=5000)
    cache = window.thumbnails
    assert cache.cached_bytes() <= 64 * 1024 * 1024 and cache.side == 512
    window.grid.set_zoom(256)
    assert index.data(ThumbnailRole).width() == 256 and cache.side == 256


def test_tag_chips_show_on_large_tiles_only(qtbot, window, local_store, tmp_path):
    """A flat grey texture tagged: at 256 px its tags are drawn as dark chips on the thumbnail's
    bottom edge; at 128 px (no room) the thumbnail stays as it is."""
    coll = local_store.create_collection("Tagged")
    Image.new("RGB", (256, 256), (200, 200, 200)).save(tmp_path / "flat.png")
    texture_id = import_file(local_store, coll.id, tmp_path / "flat.png").texture_id
    local_store.tag_textures([texture_id], add=["weathered", "wood", "wip", "hero"])
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    index = window.grid_model.index(0)
    qtbot.waitUntil(lambda: index.data(ThumbnailRole) is not None, timeout=5000)

    def bottom_strip_dark(side: int) -> int:
        window.grid.set_zoom(side)
        qtbot.waitUntil(lambda: window.grid.visualRect(index).width() > side, timeout=5000)
        window.grid.viewport().repaint()
        shot = window.grid.viewport().grab().toImage()
        rect = window.grid.visualRect(index)
        left, top = rect.left() + (rect.width() - side) // 2, rect.top() + 8
        strip = [(x, y) for x in range(left + 4, left + side - 4, 2)
                 for y in range(top + side - 18, top + side - 6, 2)]
        return sum(shot.pixelColor(x, y).lightness() < 100 for x, y in strip)

    assert bottom_strip_dark(128) == 0
    assert bottom_strip_dark(256) > 100  # chips: dark backs with light text
    window.grab().save(str(tmp_path / "chips.png"))
