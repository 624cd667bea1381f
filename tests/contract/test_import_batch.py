"""The import workflow on every face: a batch lands around bad files; re-imports are versions or no-ops."""

from __future__ import annotations

import shutil

from corpus import write_corrupt, write_image, write_truncated, write_unsupported

from server_api.workflows.importing import import_paths


def test_bad_files_in_the_middle_of_a_batch_do_not_stop_the_rest(face, tmp_path, write_bomb):
    store = face.user("olivia")
    collection = store.create_collection("Batch")
    folder = tmp_path / "drop"
    write_image(folder / "a_first.png", "png_rgb", seed=1)
    write_image(folder / "b_deep.tif", "tiff_48_rgb", seed=2)
    write_corrupt(folder / "c_corrupt.png")
    write_truncated(folder / "d_truncated.png")
    write_unsupported(folder / "e_notes.png")
    write_bomb(folder / "f_bomb.png")
    write_image(folder / "g_last.jpg", "jpeg", seed=3)
    write_image(folder / "sub" / "h_nested.tga", "tga", seed=4)
    write_image(folder / ".hidden" / "skipped.png", seed=5)
    (folder / ".DS_Store").write_bytes(b"junk")

    finished = []
    results = import_paths(store, collection.id, [folder], workers=3, on_result=finished.append)

    status = {r.path.rsplit("/", 1)[-1]: r for r in results}
    assert sorted(status) == ["a_first.png", "b_deep.tif", "c_corrupt.png", "d_truncated.png",
                              "e_notes.png", "f_bomb.png", "g_last.jpg", "h_nested.tga"]
    assert sorted(r.path for r in finished) == sorted(r.path for r in results)
    for name in ("a_first.png", "b_deep.tif", "g_last.jpg", "h_nested.tga"):
        assert status[name].status == "added" and status[name].error is None, status[name]
    for name in ("c_corrupt.png", "d_truncated.png", "e_notes.png", "f_bomb.png"):
        assert status[name].status == "rejected" and name in status[name].error, status[name]
        assert status[name].texture_id is None
    assert (status["b_deep.tif"].format, status["b_deep.tif"].width) == ("TIFF", 64)
    assert store.count_textures(collection.id) == 4


def test_reimport_gives_unchanged_then_new_version(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Again")
    path = write_image(tmp_path / "in" / "wall.png", seed=1)
    [first] = import_paths(store, collection.id, [path])
    [same] = import_paths(store, collection.id, [path])
    write_image(path, seed=2)
    [changed] = import_paths(store, collection.id, [tmp_path / "in"])
    assert (first.status, same.status, changed.status) == ("added", "unchanged", "new_version")
    assert first.texture_id == same.texture_id == changed.texture_id
    assert (same.version, changed.version) == (1, 2)
    # The same bytes at another path are already in the collection: unchanged, naming where.
    copy = tmp_path / "elsewhere" / "wall.png"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    [other] = import_paths(store, collection.id, [copy])
    assert (other.status, other.texture_id, other.version) == ("unchanged", first.texture_id, 2)
    assert other.note == "already in the vault as wall.png v2"
    assert store.count_textures(collection.id) == 1


def test_a_missing_path_is_rejected_by_name(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Missing")
    [result] = import_paths(store, collection.id, [tmp_path / "not_there.png"])
    assert result.status == "rejected" and "not_there.png" in result.error
