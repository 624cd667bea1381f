"""import_many on every face (issue 9): many small files in one call (one request to a server), each
decided by THE import rule and answered on its own; a retried batch makes nothing twice."""

from __future__ import annotations

import hashlib

from corpus import write_corrupt, write_image

from server_api.store.import_items import ImportItem
from server_api.workflows.importing import import_paths


def item(path, *, data: bytes | None = None, sha256: str | None = None, key: str | None = None,
         original_path: str | None = None, name: str | None = None) -> ImportItem:
    data = path.read_bytes() if data is None else data
    return ImportItem(original_path=original_path or str(path), data=data, name=name, upload_key=key,
                      sha256=sha256 or hashlib.sha256(data).hexdigest())


def test_each_file_of_a_batch_gets_its_own_verdict(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Batch")
    kept = write_image(tmp_path / "old" / "kept.png", seed=1)
    changed = write_image(tmp_path / "old" / "changed.png", seed=2)
    import_paths(store, collection.id, [kept, changed])
    write_image(changed, seed=3)
    fresh = write_image(tmp_path / "new" / "fresh.png", seed=4)
    corrupt = write_corrupt(tmp_path / "new" / "corrupt.png")
    lying = write_image(tmp_path / "new" / "lying.png", seed=5)
    copy = tmp_path / "new" / "copy_of_kept.png"
    copy.write_bytes(kept.read_bytes())

    results = store.import_many(collection.id, [
        item(fresh, name="Fresh wall"),
        item(corrupt),
        item(changed),
        item(lying, sha256="0" * 64),  # the bytes do not match what the client says it sent
        item(kept),
        item(copy),
        item(fresh, original_path="bad\x00path.png"),
        item(fresh, data=b"x"),  # the same path twice in one batch
    ])

    assert [r.status for r in results] == ["added", "rejected", "new_version", "rejected", "unchanged",
                                           "unchanged", "rejected", "rejected"]
    assert [r.path for r in results[:6]] == [str(fresh), str(corrupt), str(changed), str(lying), str(kept),
                                             str(copy)]
    assert "corrupt.png" in results[1].error and results[1].texture_id is None
    assert "damaged in transit" in results[3].error
    assert results[5].note == "already in the vault as kept.png v1"
    assert "not a usable file path" in results[6].error
    assert "twice" in results[7].error
    assert store.get_texture(results[0].texture_id).name == "Fresh wall"
    assert results[2].version == 2 and store.get_texture(results[2].texture_id).version_count == 2
    assert store.count_textures(collection.id) == 3
    for result, path in ((results[0], fresh), (results[2], changed)):  # the bytes landed whole
        version = store.get_texture(result.texture_id).current
        with store.open_version(version.id) as stored:
            assert stored.read() == path.read_bytes()
        assert store.version_thumbnail(version.id).startswith(b"\xff\xd8")  # a JPEG thumbnail


def test_a_retried_batch_answers_what_the_first_made(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Retry")
    wall = write_image(tmp_path / "wall.png", seed=1)
    import_paths(store, collection.id, [wall])
    write_image(wall, seed=2)
    floor = write_image(tmp_path / "floor.png", seed=3)
    batch = [item(wall, key="k-wall"), item(floor, key="k-floor")]

    first = store.import_many(collection.id, batch)
    again = store.import_many(collection.id, batch)  # the answer was lost: the client sends it again

    assert [(r.status, r.version) for r in first] == [("new_version", 2), ("added", 1)]
    assert [(r.status, r.texture_id, r.version) for r in again] == [
        (r.status, r.texture_id, r.version) for r in first]
    assert store.get_texture(first[0].texture_id).version_count == 2
    assert store.count_textures(collection.id) == 2


def test_a_reader_hears_unchanged_but_cannot_add(team, tmp_path):
    there = write_image(tmp_path / "there.png", seed=1)
    import_paths(team.owner, team.collection_id, [there])
    new = write_image(tmp_path / "new.png", seed=2)

    results = team.reader.import_many(team.collection_id, [item(there), item(new)])

    assert [r.status for r in results] == ["unchanged", "rejected"]
    assert results[1].error and team.owner.count_textures(team.collection_id) == 1
