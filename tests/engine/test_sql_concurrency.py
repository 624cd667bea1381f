"""Many writers on one SQLite vault at once: no "database is locked", version numbers contiguous."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from corpus import write_image

from server_api.store.sql.store import SqlVaultStore


def test_twenty_threads_adding_versions_to_one_texture(tmp_path):
    store = SqlVaultStore.open_local(tmp_path / "vault")
    collection = store.create_collection("Shared")
    first = write_image(tmp_path / "in" / "wall.png", "png_rgb", seed=0)
    texture = store.add_texture(collection.id, str(first), original_path=str(first))
    files = [write_image(tmp_path / "in" / f"wall_{i}.png", "png_rgb", seed=i + 1) for i in range(20)]

    errors: list[BaseException] = []
    start = threading.Barrier(len(files))

    def add(path):
        # Each thread opens its own store on the same folder, like separate app windows would.
        mine = SqlVaultStore.open_local(tmp_path / "vault")
        try:
            start.wait()
            mine.add_version(texture.id, str(path), note=path.name)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            mine.close()

    threads = [threading.Thread(target=add, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    versions = store.list_versions(texture.id)
    assert sorted(v.number for v in versions) == list(range(1, 22))
    assert len({v.sha256 for v in versions}) == 21
    assert store.get_texture(texture.id).version_count == 21
    store.close()


def test_threads_sharing_one_store_import_in_parallel(tmp_path):
    store = SqlVaultStore.open_local(tmp_path / "vault")
    collection = store.create_collection("Batch")
    files = [write_image(tmp_path / "in" / f"t{i}.png", "png_rgba", seed=i) for i in range(24)]

    from server_api.workflows.importing import import_paths

    results = import_paths(store, collection.id, [tmp_path / "in"], workers=8)

    assert [r.status for r in results] == ["added"] * len(files)
    assert store.count_textures(collection.id) == len(files)
    assert store.fsck().ok
    store.close()


@pytest.mark.postgres
def test_twenty_threads_adding_versions_on_postgresql(tmp_path):
    """The same race on PostgreSQL, where SELECT ... FOR UPDATE on the texture row serializes numbering."""
    from postgres import fresh_database_url

    root = SqlVaultStore.open_server(fresh_database_url(), tmp_path / "data")
    root.create_admin("lead", None)
    store = root.for_user("lead")
    collection = store.create_collection("Shared")
    first = write_image(tmp_path / "in" / "wall.png", "png_rgb", seed=0)
    texture = store.add_texture(collection.id, str(first), original_path=str(first))
    files = [write_image(tmp_path / "in" / f"wall_{i}.png", "png_rgb", seed=i + 1) for i in range(20)]
    start = threading.Barrier(len(files))

    def add(path):
        start.wait()
        return store.add_version(texture.id, str(path)).number

    with ThreadPoolExecutor(max_workers=len(files)) as pool:
        numbers = sorted(pool.map(add, files))

    assert numbers == list(range(2, 22))
    assert sorted(v.number for v in store.list_versions(texture.id)) == list(range(1, 22))
    root.close()
