"""Retention on every face: keep the last N versions (plus the current and every published one), the
version trash (hidden, restorable, purged), previews, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from corpus import write_image
from sqlalchemy import func, select, update

from server_api.core.errors import VaultError
from server_api.store.sql.convert import V
from server_api.workflows.importing import import_paths


@pytest.fixture
def olivia(face):
    return face.user("olivia")


@pytest.fixture
def collection(olivia):
    return olivia.create_collection("Textures")


def _texture(store, collection_id, folder, versions: int, seed: int = 0):
    """A texture with ``versions`` versions (each different bytes); its versions oldest first."""
    first = write_image(folder / f"t{seed}.png", seed=seed * 100)
    texture = store.add_texture(collection_id, str(first), original_path=str(first))
    made = [texture.current]
    for n in range(2, versions + 1):
        made.append(store.add_version(texture.id, str(write_image(folder / f"t{seed}_v{n}.png",
                                                                   seed=seed * 100 + n))))
    return texture, made


def _numbers(store, texture_id):
    return [v.number for v in store.list_versions(texture_id)]


def test_policy_keeps_last_n_the_current_and_published_ones(olivia, collection, tmp_path):
    texture, v = _texture(olivia, collection.id, tmp_path, 5)
    olivia.set_current_version(texture.id, v[2].id)  # v3 current
    olivia.record_publish(texture.id, v[1].id, str(tmp_path / "out.png"))  # v2 published
    other, _ = _texture(olivia, collection.id, tmp_path, 2, seed=1)  # within the policy: untouched

    preview = olivia.retention_preview(collection.id, 2)
    assert (preview.versions, preview.textures, preview.applied) == (1, 1, False)
    assert _numbers(olivia, texture.id) == [5, 4, 3, 2, 1]  # a preview changes nothing
    assert olivia.retention(collection.id).keep_last is None

    report = olivia.set_retention(collection.id, 2)
    assert (report.versions, report.byte_size, report.applied) == (1, v[0].byte_size, True)
    assert report.reclaimable_bytes == v[0].byte_size  # nothing else names v1's bytes
    assert olivia.retention(collection.id).keep_last == 2
    assert _numbers(olivia, texture.id) == [5, 4, 3, 2]
    assert olivia.get_texture(texture.id).version_count == 4
    assert _numbers(olivia, other.id) == [2, 1]
    [trashed] = olivia.list_version_trash(collection.id)
    assert trashed.version.id == v[0].id and trashed.texture_name == texture.name
    assert trashed.version.trashed_at is not None

    # a new version lands: the policy applies again (v3 is no longer current, v2 still published)
    olivia.add_version(texture.id, str(write_image(tmp_path / "v6.png", seed=66)))
    assert _numbers(olivia, texture.id) == [6, 5, 2]
    assert {t.version.number for t in olivia.list_version_trash(collection.id)} == {1, 3, 4}
    actions = [e.action for e in olivia.list_events(collection.id).items]
    assert "trash_versions" in actions and "retention_set" in actions

    olivia.set_retention(collection.id, None)  # keep everything from now on: nothing comes back by itself
    olivia.add_version(texture.id, str(write_image(tmp_path / "v7.png", seed=77)))
    assert _numbers(olivia, texture.id) == [7, 6, 5, 2]


def test_a_batch_import_applies_the_policy(olivia, collection, tmp_path):
    folder = tmp_path / "drop"
    paths = [write_image(folder / f"m{i}.png", seed=i) for i in range(3)]
    import_paths(olivia, collection.id, paths)
    olivia.set_retention(collection.id, 1)
    for round_ in (1, 2):
        paths = [write_image(folder / f"m{i}.png", seed=i + 10 * round_) for i in range(3)]
        results = import_paths(olivia, collection.id, paths)
        assert {r.status for r in results} == {"new_version"}
    for texture in olivia.list_textures(collection.id).items:
        assert _numbers(olivia, texture.id) == [3] and texture.version_count == 1
    assert len(olivia.list_version_trash(collection.id)) == 6


def test_restore_shows_a_version_again_without_making_it_current(olivia, collection, tmp_path):
    texture, v = _texture(olivia, collection.id, tmp_path, 3)
    olivia.set_retention(collection.id, 1)
    with pytest.raises(VaultError) as err:  # decided: a trashed version is restored first
        olivia.set_current_version(texture.id, v[0].id)
    assert err.value.code == "conflict" and "version trash" in err.value.message
    assert "restore" in err.value.message
    with pytest.raises(VaultError) as err:
        olivia.record_publish(texture.id, v[0].id, str(tmp_path / "out.png"))
    assert err.value.code == "conflict"
    assert olivia.version_thumbnail(v[0].id)  # the trash view shows what it holds

    back = olivia.restore_version(v[0].id)
    assert back.trashed_at is None and not back.is_current
    assert olivia.restore_version(v[0].id) == back  # a retried restore changes nothing
    assert _numbers(olivia, texture.id) == [3, 1]
    assert olivia.get_texture(texture.id).current.id == v[2].id
    assert [t.version.number for t in olivia.list_version_trash(collection.id)] == [2]
    assert olivia.set_current_version(texture.id, v[0].id).current.id == v[0].id
    assert "restore_version" in [e.action for e in olivia.list_events(collection.id).items]


def test_emptying_the_version_trash_and_thirty_days_purge_for_good(olivia, collection, tmp_path, face):
    texture, v = _texture(olivia, collection.id, tmp_path, 4)
    other = olivia.create_collection("Other")
    elsewhere, w = _texture(olivia, other.id, tmp_path, 2, seed=2)
    olivia.set_retention(other.id, 1)
    olivia.set_retention(collection.id, 2)
    assert olivia.empty_version_trash(collection.id) == 2
    assert olivia.empty_version_trash(collection.id) == 0
    assert olivia.list_version_trash(collection.id) == []
    assert [t.version.id for t in olivia.list_version_trash(other.id)] == [w[0].id]  # another's stays
    with pytest.raises(VaultError) as err:
        olivia.restore_version(v[0].id)
    assert err.value.code == "not_found"
    assert _numbers(olivia, texture.id) == [4, 3]

    with face.engine.begin() as conn:  # 31 days pass for the other collection's trashed version
        conn.execute(update(V).where(V.c.id == w[0].id)
                     .values(trashed_at=V.c.trashed_at - timedelta(days=31)))
    assert olivia.list_version_trash(other.id) == []
    olivia.set_retention(collection.id, 2)  # setting a policy drops what expired, for good
    with face.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(V.c.id == w[0].id)).scalar() == 0


def test_bytes_another_collection_uses_are_not_counted_as_freed(olivia, collection, tmp_path):
    shared = write_image(tmp_path / "shared.png", seed=5)
    texture = olivia.add_texture(collection.id, str(shared), original_path=str(shared))
    olivia.add_version(texture.id, str(write_image(tmp_path / "v2.png", seed=6)))
    other = olivia.create_collection("Other")
    olivia.add_texture(other.id, str(shared), original_path="/elsewhere/shared.png")
    preview = olivia.retention_preview(collection.id, 1)
    assert preview.versions == 1 and preview.byte_size == texture.current.byte_size
    assert preview.reclaimable_bytes == 0  # the other collection still names those bytes


def test_who_may_set_and_see_the_policy(team, tmp_path):
    texture, v = _texture(team.writer, team.collection_id, tmp_path, 3)
    for refused in (lambda: team.writer.set_retention(team.collection_id, 1),
                    lambda: team.reader.set_retention(team.collection_id, 1)):
        with pytest.raises(VaultError) as err:
            refused()
        assert err.value.code == "permission_denied"
    assert team.admin.set_retention(team.collection_id, 2).versions == 1
    assert team.reader.retention(team.collection_id).keep_last == 2  # readers see it
    assert [t.version.id for t in team.reader.list_version_trash(team.collection_id)] == [v[0].id]
    for refused in (lambda: team.reader.restore_version(v[0].id),
                    lambda: team.reader.empty_version_trash(team.collection_id)):
        with pytest.raises(VaultError) as err:
            refused()
        assert err.value.code == "permission_denied"
    for hidden in (lambda: team.stranger.retention(team.collection_id),
                   lambda: team.stranger.list_version_trash(team.collection_id),
                   lambda: team.stranger.restore_version(v[0].id)):
        with pytest.raises(VaultError) as err:
            hidden()
        assert err.value.code == "not_found"
    assert team.writer.restore_version(v[0].id).trashed_at is None


@pytest.mark.parametrize("bad", [0, -1, "3", 2.5, True])
def test_a_bad_keep_last_is_refused_by_name(olivia, collection, bad):
    for call in (olivia.set_retention, olivia.retention_preview):
        with pytest.raises(VaultError) as err:
            call(collection.id, bad)
        assert err.value.code == "invalid_argument" and "keep-last" in err.value.message
    assert olivia.retention(collection.id).keep_last is None


def test_storage_usage_previews_a_policy(face, tmp_path):
    admin = face.admin
    collection = admin.create_collection("Big")
    _texture(admin, collection.id, tmp_path, 3)
    [row] = [u for u in admin.storage_usage() if u.collection_id == collection.id]
    assert row.version_count == 3 and row.keep_last is None and row.would_trash_versions == 0
    assert row.unique_bytes == row.byte_size
    [asked] = [u for u in admin.storage_usage(1) if u.collection_id == collection.id]
    assert asked.would_trash_versions == 2 and asked.would_free_bytes > 0
    assert admin.list_version_trash(collection.id) == []  # applies nothing


def test_a_material_does_not_make_a_trashed_version_current(olivia, collection, tmp_path):
    from server_api.store.material_entities import MapSpec

    texture, v = _texture(olivia, collection.id, tmp_path, 1)
    material = olivia.create_material(collection.id, "Wall", [MapSpec(texture.id, "base_color")])
    for n in (2, 3):
        v.append(olivia.add_version(texture.id, str(write_image(tmp_path / f"m{n}.png", seed=50 + n))))
    olivia.set_retention(collection.id, 1)
    for refused in (lambda: olivia.set_current_material_version(material.id, 1),
                    lambda: olivia.set_material_maps_current(material.id, [v[0].id])):
        with pytest.raises(VaultError) as err:
            refused()
        assert err.value.code == "conflict" and "version trash" in err.value.message
    assert olivia.get_texture(texture.id).current.id == v[2].id  # nothing changed
    olivia.restore_version(v[0].id)
    olivia.set_current_material_version(material.id, 1)
    assert olivia.get_texture(texture.id).current.id == v[0].id
