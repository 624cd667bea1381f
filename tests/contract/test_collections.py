"""Collections through every face: create, list with counts and levels, rename, delete."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError


def test_create_list_get_a_collection(face):
    olivia = face.user("olivia")
    made = olivia.create_collection("  Rocks ", "granite and basalt")
    assert (made.name, made.description, made.owner, made.my_level) == ("Rocks", "granite and basalt",
                                                                        "olivia", "owner")
    assert made.texture_count == 0 and made.shared is False
    assert [c.name for c in olivia.list_collections()] == ["Rocks"]
    assert olivia.get_collection(made.id) == made
    assert olivia.find_collection("Rocks").id == made.id


def test_texture_count_and_shared_flag_follow_changes(face, tmp_path):
    olivia = face.user("olivia")
    face.user("bob")
    collection = olivia.create_collection("Wood")
    for i in range(3):
        path = write_image(tmp_path / f"plank{i}.png", seed=i)
        olivia.add_texture(collection.id, str(path), original_path=str(path))
    olivia.set_grant(collection.id, "bob", "read")
    seen = olivia.get_collection(collection.id)
    assert (seen.texture_count, seen.shared) == (3, True)
    assert face.user("bob").get_collection(collection.id).my_level == "read"


@pytest.mark.parametrize("bad", ["", "   ", "x" * 201, "tab\tname"])
def test_bad_collection_names_are_refused(face, bad):
    olivia = face.user("olivia")
    with pytest.raises(VaultError) as err:
        olivia.create_collection(bad)
    assert err.value.code == "invalid_argument"
    assert olivia.list_collections() == []


def test_names_are_unique_per_owner_only(face):
    olivia, bob = face.user("olivia"), face.user("bob")
    olivia.create_collection("Metal")
    with pytest.raises(VaultError) as err:
        olivia.create_collection("Metal")
    assert err.value.code == "conflict" and "Metal" in err.value.message
    assert bob.create_collection("Metal").owner == "bob"


def test_rename_and_describe(face):
    olivia = face.user("olivia")
    collection = olivia.create_collection("Stone")
    olivia.create_collection("Brick")
    renamed = olivia.update_collection(collection.id, name="Stones", description="all of them")
    assert (renamed.name, renamed.description) == ("Stones", "all of them")
    with pytest.raises(VaultError) as err:
        olivia.update_collection(collection.id, name="Brick")
    assert err.value.code == "conflict"
    assert olivia.get_collection(collection.id).name == "Stones"


def test_delete_collection_removes_it_and_its_textures(face, tmp_path):
    olivia = face.user("olivia")
    collection = olivia.create_collection("Temp")
    path = write_image(tmp_path / "a.png")
    texture = olivia.add_texture(collection.id, str(path), original_path=str(path))
    olivia.delete_collection(collection.id)
    assert olivia.list_collections() == []
    for call in (lambda: olivia.get_collection(collection.id), lambda: olivia.get_texture(texture.id),
                 lambda: olivia.list_versions(texture.id)):
        with pytest.raises(VaultError) as err:
            call()
        assert err.value.code == "not_found"


def test_unknown_collection_is_not_found(face):
    with pytest.raises(VaultError) as err:
        face.user("olivia").get_collection(987654)
    assert err.value.code == "not_found"


def test_storage_usage_counts_bytes_per_collection(face, tmp_path):
    olivia = face.user("olivia")
    collection = olivia.create_collection("Sized")
    a = write_image(tmp_path / "a.png", seed=1)
    texture = olivia.add_texture(collection.id, str(a), original_path=str(a))
    b = write_image(tmp_path / "b.png", seed=2)
    olivia.add_version(texture.id, str(b))
    usage = {u.collection_id: u for u in face.admin.storage_usage()}[collection.id]
    assert (usage.owner, usage.texture_count, usage.version_count) == ("olivia", 1, 2)
    assert usage.byte_size == a.stat().st_size + b.stat().st_size
    with pytest.raises(VaultError) as err:
        olivia.storage_usage()
    assert err.value.code == "permission_denied"
