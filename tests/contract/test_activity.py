"""Activity on every face: every upload and new version is an event, single files and whole batches."""

from __future__ import annotations

from corpus import write_image

from server_api.workflows.importing import import_paths


def test_an_import_batch_shows_each_new_texture_and_version_in_the_activity(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Batch")
    folder = tmp_path / "drop"
    for i, name in enumerate(("a_albedo.png", "a_normal.png")):
        write_image(folder / name, seed=i)
    import_paths(store, collection.id, [folder])
    write_image(folder / "a_albedo.png", seed=7)  # repainted: the next import makes v2
    results = import_paths(store, collection.id, [folder])
    assert sorted(r.status for r in results) == ["new_version", "unchanged"]

    events = [(e.actor, e.action, e.detail) for e in store.list_events(collection.id).items]
    assert events[0] == ("olivia", "add_version", "added v2 of 'a_albedo.png'")
    assert sorted(events[1:3]) == [("olivia", "add_texture", "added 'a_albedo.png'"),
                                   ("olivia", "add_texture", "added 'a_normal.png'")]
    assert events[3][1] == "create_collection" and len(events) == 4  # "unchanged" is no event
