"""The trash on every face: delete hides, restore brings back everything, emptying is for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
from corpus import write_image
from sqlalchemy import select, update

from server_api.core.errors import VaultError
from server_api.store.sql.convert import T
from server_api.workflows.importing import import_paths


@pytest.fixture
def olivia(face):
    return face.user("olivia")


@pytest.fixture
def collection(olivia):
    return olivia.create_collection("Textures")


def _add(store, collection_id, path):
    return store.add_texture(collection_id, str(path), original_path=str(path))


def test_a_deleted_texture_is_hidden_everywhere_but_the_trash(olivia, collection, tmp_path):
    kept = _add(olivia, collection.id, write_image(tmp_path / "kept.png", seed=1))
    gone = _add(olivia, collection.id, write_image(tmp_path / "gone_albedo.png", seed=2))
    olivia.add_version(gone.id, str(write_image(tmp_path / "v2.png", seed=3)))
    olivia.delete_texture(gone.id)

    assert [t.id for t in olivia.list_textures(collection.id).items] == [kept.id]
    assert olivia.count_textures(collection.id) == 1
    assert olivia.get_collection(collection.id).texture_count == 1
    assert olivia.find_texture(collection.id, original_path=gone.original_path) is None
    for look in (olivia.get_texture, olivia.list_versions):
        with pytest.raises(VaultError) as err:
            look(gone.id)
        assert err.value.code == "not_found" and "gone_albedo.png" in err.value.message
        assert "trash" in err.value.message
    with pytest.raises(VaultError) as err:  # no writes to a texture in the trash
        olivia.add_version(gone.id, str(write_image(tmp_path / "v3.png", seed=4)))
    assert err.value.code == "not_found"

    trash = olivia.list_trash(collection.id)
    assert [t.id for t in trash] == [gone.id] and trash[0].version_count == 2
    assert trash[0].deleted_at is not None and trash[0].name == "gone_albedo.png"
    assert olivia.version_thumbnail(trash[0].current.id)  # the trash view shows its thumbnail


def test_restore_brings_back_every_version_and_is_safe_to_repeat(olivia, collection, tmp_path):
    texture = _add(olivia, collection.id, write_image(tmp_path / "rock.png", seed=1))
    second = olivia.add_version(texture.id, str(write_image(tmp_path / "v2.png", seed=2)))
    before = olivia.get_texture(texture.id)
    olivia.delete_texture(texture.id)

    back = olivia.restore_texture(texture.id)
    assert back.deleted_at is None and back.current.id == second.id and back.version_count == 2
    assert [v.number for v in olivia.list_versions(texture.id)] == [2, 1]
    assert olivia.get_texture(texture.id) == before
    assert olivia.list_trash(collection.id) == []
    assert olivia.restore_texture(texture.id) == before  # a retried restore changes nothing
    actions = [e.action for e in olivia.list_events(collection.id).items]
    assert actions[:2] == ["restore_texture", "delete_texture"]


def test_emptying_the_trash_deletes_for_good_and_only_the_trash(olivia, collection, tmp_path):
    kept = _add(olivia, collection.id, write_image(tmp_path / "kept.png", seed=1))
    doomed = [_add(olivia, collection.id, write_image(tmp_path / f"d{i}.png", seed=10 + i)) for i in range(3)]
    for texture in doomed:
        olivia.delete_texture(texture.id)
    other = olivia.create_collection("Other")
    elsewhere = _add(olivia, other.id, write_image(tmp_path / "else.png", seed=20))
    olivia.delete_texture(elsewhere.id)

    assert olivia.empty_trash(collection.id) == 3
    assert olivia.empty_trash(collection.id) == 0
    assert olivia.list_trash(collection.id) == []
    assert [t.id for t in olivia.list_trash(other.id)] == [elsewhere.id]  # another collection's trash stays
    assert olivia.get_texture(kept.id).id == kept.id
    with pytest.raises(VaultError) as err:
        olivia.restore_texture(doomed[0].id)
    assert err.value.code == "not_found"


def test_importing_a_trashed_path_again_makes_a_fresh_texture(olivia, collection, tmp_path):
    path = write_image(tmp_path / "a.png", seed=1)
    old = _add(olivia, collection.id, path)
    olivia.delete_texture(old.id)
    [result] = import_paths(olivia, collection.id, [path])  # same bytes, same path: not "unchanged"
    assert result.status == "added"
    assert olivia.count_textures(collection.id) == 1 and olivia.list_trash(collection.id) == []
    again = olivia.get_texture(result.texture_id)
    olivia.delete_texture(again.id)
    fresh = _add(olivia, collection.id, path)  # add_texture at a trashed path: the same rule
    assert fresh.version_count == 1 and olivia.list_trash(collection.id) == []


def test_trash_levels(team, tmp_path):
    texture = _add(team.writer, team.collection_id, write_image(tmp_path / "a.png"))
    team.writer.delete_texture(texture.id)
    assert [t.id for t in team.reader.list_trash(team.collection_id)] == [texture.id]
    for refused in (lambda: team.reader.restore_texture(texture.id),
                    lambda: team.reader.empty_trash(team.collection_id)):
        with pytest.raises(VaultError) as err:
            refused()
        assert err.value.code == "permission_denied"
    for hidden in (lambda: team.stranger.list_trash(team.collection_id),
                   lambda: team.stranger.restore_texture(texture.id)):
        with pytest.raises(VaultError) as err:
            hidden()
        assert err.value.code == "not_found"
    assert team.writer.restore_texture(texture.id).deleted_at is None


def test_bad_ids_are_refused_by_name(olivia, collection):
    for call in (lambda: olivia.restore_texture(987654), lambda: olivia.list_trash(987654),
                 lambda: olivia.empty_trash(987654)):
        with pytest.raises(VaultError) as err:
            call()
        assert err.value.code == "not_found" and "987654" in err.value.message
    with pytest.raises(VaultError) as err:
        olivia.restore_texture("7")
    assert err.value.code == "invalid_argument"


def test_a_deleted_texture_leaves_the_trash_after_thirty_days(olivia, collection, tmp_path, face):
    old = _add(olivia, collection.id, write_image(tmp_path / "old.png", seed=1))
    olivia.delete_texture(old.id)
    with face.engine.begin() as conn:  # 31 days pass
        conn.execute(update(T).where(T.c.id == old.id).values(deleted_at=T.c.deleted_at - timedelta(days=31)))
    assert olivia.list_trash(collection.id) == []
    newer = _add(olivia, collection.id, write_image(tmp_path / "new.png", seed=2))
    olivia.delete_texture(newer.id)  # any delete also drops what expired, for good
    assert [t.id for t in olivia.list_trash(collection.id)] == [newer.id]
    with face.engine.connect() as conn:
        assert conn.execute(select(T.c.id)).scalars().all() == [newer.id]
