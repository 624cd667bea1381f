"""Searching every collection from the window, and smart collections in the sidebar, over a real
local vault: the Everywhere button lists matches from all collections with where each lives, a
saved search appears in the sidebar with its live count, choosing it searches again, and choosing a
collection goes back to looking in that collection."""

from __future__ import annotations

from corpus import write_image
from desktop_helpers import answer_next_dialog, open_collection

from server_api.workflows.importing import import_paths
from vault_desktop.models.roles import SubtitleRole


def two_collections(store, tmp_path):
    made = {}
    sets = (("Castle", ("oak_floor.png", "stone_wall.png")), ("Forest", ("oak_bark.png", "moss.png")))
    for name, files in sets:
        collection = store.create_collection(name)
        paths = [write_image(tmp_path / name / f, seed=i) for i, f in enumerate(files)]
        import_paths(store, collection.id, [str(p) for p in paths])
        made[name] = store.get_collection(collection.id)
    return made


def shown_names(window) -> set[str]:
    model = window.grid_model
    return {model.row_at(r).name for r in range(model.loaded_count())}


def test_search_everywhere_and_smart_collections(qtbot, window, local_store, tmp_path):
    made = two_collections(local_store, tmp_path)
    open_collection(qtbot, window, made["Castle"])
    bar = window.filter_bar
    bar.text.setText("oak")
    bar.flush()
    qtbot.waitUntil(lambda: shown_names(window) == {"oak_floor.png"}, timeout=10_000)

    bar.everywhere.click()  # the same words in every collection
    qtbot.waitUntil(lambda: shown_names(window) == {"oak_floor.png", "oak_bark.png"}, timeout=10_000)
    model = window.grid_model
    where = {model.row_at(r).name: model.data(model.index(r), SubtitleRole) for r in range(2)}
    assert where["oak_bark.png"].startswith("Forest · ") and where["oak_floor.png"].startswith("Castle · ")
    assert "everywhere" in window.count_label.text()

    smart = window.smart
    assert not smart.list.isVisibleTo(window)  # nothing saved yet: no empty section
    smart.save("Oak", "oak")
    qtbot.waitUntil(lambda: smart.list.count() == 1, timeout=10_000)
    assert smart.list.isVisibleTo(window) and smart.list.item(0).text() == "Oak  ·  2"

    leaf = write_image(tmp_path / "Forest" / "oak_leaf.png", seed=7)
    import_paths(local_store, made["Forest"].id, [str(leaf)])
    window.refresh_textures()  # after a write the counts are live
    qtbot.waitUntil(lambda: smart.list.count() == 1 and smart.list.item(0).text() == "Oak  ·  3",
                    timeout=10_000)

    bar.show_search("", everywhere=False)  # the artist goes back to the collection, unfiltered
    qtbot.waitUntil(lambda: shown_names(window) == {"oak_floor.png", "stone_wall.png"}, timeout=10_000)
    smart.list.itemClicked.emit(smart.list.item(0))  # choosing the smart collection searches again
    qtbot.waitUntil(lambda: shown_names(window) == {"oak_floor.png", "oak_bark.png", "oak_leaf.png"},
                    timeout=10_000)
    assert bar.everywhere.isChecked() and bar.text.text() == "oak"

    window.sidebar.select(made["Forest"].id)  # choosing a collection looks in it again
    qtbot.waitUntil(lambda: not bar.everywhere.isChecked(), timeout=10_000)
    qtbot.waitUntil(lambda: shown_names(window) == {"oak_bark.png", "oak_leaf.png"}, timeout=10_000)

    smart.list.setCurrentRow(0)
    answer_next_dialog("Delete")  # the artist says yes to "Forget the saved search?"
    smart.delete_current()
    qtbot.waitUntil(lambda: smart.list.count() == 0 and not smart.list.isVisibleTo(window), timeout=10_000)


def test_the_filter_box_completes_fields_tags_and_formats(qtbot, window, local_store, tmp_path):
    made = two_collections(local_store, tmp_path)
    texture = local_store.list_textures(made["Castle"].id).items[0]
    local_store.tag_textures([texture.id], add=["weathered"])
    open_collection(qtbot, window, made["Castle"])
    window.refresh_textures()
    box, completer = window.filter_bar.text, window.filter_bar.completer

    def offered(typed: str) -> list[str]:
        box.setFocus()
        box.setText("")
        qtbot.keyClicks(box, typed)
        return [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]

    qtbot.waitUntil(lambda: "tag:weathered" in offered("tag:w"), timeout=10_000)
    assert "format:" in offered("form")
    assert "format:png" in offered("format:p")
    assert "role:normal" in offered("-role:n")

    box.setText("")
    qtbot.keyClicks(box, "oak -tag:wea")  # choosing a completion replaces only the word, keeps the NOT
    completer.activated.emit("tag:weathered")
    assert box.text() == "oak -tag:weathered"


def test_a_search_everywhere_that_finds_nothing_says_so_without_a_plus(qtbot, window, local_store, tmp_path):
    made = two_collections(local_store, tmp_path)
    open_collection(qtbot, window, made["Castle"])
    window.filter_bar.show_search("no_such_texture_name", everywhere=True)
    qtbot.waitUntil(lambda: window.grid_model.is_complete(), timeout=10_000)
    qtbot.waitUntil(lambda: window.count_label.text() == "0 textures everywhere", timeout=5_000)
    window.filter_bar.show_search("oak", everywhere=True)  # the last page adds no row: the "+" goes too
    qtbot.waitUntil(lambda: window.count_label.text() == "2 textures everywhere", timeout=10_000)
