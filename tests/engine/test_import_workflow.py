"""import_file/import_paths details: folder walking, order, duplicates and two imports racing on one file."""

from __future__ import annotations

import threading

from corpus import write_image

from server_api.workflows.importing import expand_paths, import_file, import_paths


def test_folders_expand_in_name_order_without_hidden_files_or_repeats(tmp_path):
    b = write_image(tmp_path / "in" / "b.png")
    a = write_image(tmp_path / "in" / "sub" / "a.png")
    write_image(tmp_path / "in" / ".cache" / "x.png")
    write_image(tmp_path / "in" / ".hidden.png")
    files = expand_paths([tmp_path / "in", b, tmp_path / "in" / "sub"])
    assert files == [str(b.resolve()), str(a.resolve())]


def test_results_come_back_in_file_order_and_each_is_reported_once(local_store, tmp_path):
    collection = local_store.create_collection("Order")
    paths = [write_image(tmp_path / "in" / f"{i:02}.png", seed=i) for i in range(12)]
    seen, lock = [], threading.Lock()

    def on_result(result):
        with lock:
            seen.append(result.path)

    results = import_paths(local_store, collection.id, [tmp_path / "in"], workers=4, on_result=on_result)
    assert [r.path for r in results] == [str(p.resolve()) for p in paths]
    assert sorted(seen) == sorted(r.path for r in results)


def test_two_imports_of_one_file_at_once_make_one_texture(local_store, tmp_path):
    collection = local_store.create_collection("Race")
    path = write_image(tmp_path / "same.png", size=(512, 512))
    start = threading.Barrier(2)
    results = []

    def run():
        start.wait()
        results.append(import_file(local_store, collection.id, path))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.status for r in results) == ["added", "unchanged"]
    assert results[0].texture_id == results[1].texture_id
    assert local_store.count_textures(collection.id) == 1


def test_original_path_is_absolute_and_resolved(local_store, tmp_path, monkeypatch):
    collection = local_store.create_collection("Paths")
    write_image(tmp_path / "dir" / "rel.png")
    (tmp_path / "link").symlink_to(tmp_path / "dir")
    monkeypatch.chdir(tmp_path)
    result = import_file(local_store, collection.id, "link/rel.png")
    assert result.path == str((tmp_path / "dir" / "rel.png").resolve())
    assert local_store.get_texture(result.texture_id).original_path == result.path
