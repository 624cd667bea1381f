"""Material versions on every face: one per operation, the maps' versions recorded, set-current."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.material_entities import MapSpec


@pytest.fixture
def olivia(face):
    return face.user("olivia")


@pytest.fixture
def set_up(olivia, tmp_path):
    """A collection with a three-map material; returns (material, {role: texture})."""
    collection = olivia.create_collection("Sets")
    textures = {}
    for seed, role in enumerate(("base_color", "normal", "roughness")):
        path = write_image(tmp_path / f"rock_{role}.png", seed=seed)
        textures[role] = olivia.add_texture(collection.id, str(path), original_path=str(path))
    material = olivia.create_material(collection.id, "Rock", [MapSpec(t.id, r) for r, t in textures.items()])
    return material, textures


def numbers(material):
    return {m.role: m.version_number for m in material.maps}


def test_a_new_current_version_of_a_map_makes_one_material_version(olivia, set_up, tmp_path):
    material, textures = set_up
    olivia.add_version(textures["normal"].id, str(write_image(tmp_path / "n2.png", seed=10)))
    now = olivia.get_material(material.id)
    assert (now.version, now.version_count) == (2, 2)
    assert numbers(now) == {"base_color": 1, "normal": 2, "roughness": 1}
    versions = olivia.list_material_versions(material.id)
    assert [v.number for v in versions] == [2, 1] and versions[0].is_current and not versions[1].is_current
    assert {m.role: m.version_number for m in versions[0].maps} == numbers(now)
    assert {m.role: m.version_number for m in versions[1].maps} == {
        "base_color": 1,
        "normal": 1,
        "roughness": 1,
    }


def test_a_version_that_does_not_become_current_makes_none(olivia, set_up, tmp_path):
    material, textures = set_up
    olivia.add_version(
        textures["normal"].id, str(write_image(tmp_path / "n2.png", seed=10)), make_current=False
    )
    assert olivia.get_material(material.id).version == 1


def test_making_an_old_map_version_current_makes_one(olivia, set_up, tmp_path):
    material, textures = set_up
    olivia.add_version(textures["normal"].id, str(write_image(tmp_path / "n2.png", seed=10)))
    first = olivia.list_versions(textures["normal"].id)[-1]
    olivia.set_current_version(textures["normal"].id, first.id)
    assert olivia.get_material(material.id).version == 3
    olivia.set_current_version(textures["normal"].id, first.id)  # no change: no version
    assert olivia.get_material(material.id).version == 3


def test_many_maps_changed_in_one_operation_make_exactly_one(olivia, set_up, tmp_path):
    material, textures = set_up
    new = [
        olivia.add_version(
            textures[r].id, str(write_image(tmp_path / f"{r}2.png", seed=20 + i)), make_current=False
        )
        for i, r in enumerate(("base_color", "normal", "roughness"))
    ]
    assert olivia.get_material(material.id).version == 1
    after = olivia.set_material_maps_current(material.id, [v.id for v in new], note="dropped a folder")
    assert (after.version, after.version_count) == (2, 2)
    assert numbers(after) == {"base_color": 2, "normal": 2, "roughness": 2}
    assert olivia.list_material_versions(material.id)[0].note == "dropped a folder"
    with pytest.raises(VaultError) as caught:
        olivia.set_material_maps_current(material.id, [123456])
    assert caught.value.code == "not_found"


def test_set_current_makes_every_map_follow(olivia, set_up, tmp_path):
    material, textures = set_up
    new = [
        olivia.add_version(
            textures[r].id, str(write_image(tmp_path / f"{r}2.png", seed=30 + i)), make_current=False
        )
        for i, r in enumerate(("base_color", "normal"))
    ]
    olivia.set_material_maps_current(material.id, [v.id for v in new])
    olivia.set_map_role(material.id, textures["roughness"].id, "glossiness")
    assert olivia.get_material(material.id).version == 3
    back = olivia.set_current_material_version(material.id, 1)
    assert back.version == 1 and back.version_count == 3
    assert numbers(back) == {"base_color": 1, "normal": 1, "roughness": 1}
    assert olivia.get_texture(textures["base_color"].id).current.number == 1
    assert [v.is_current for v in olivia.list_material_versions(material.id)] == [False, False, True]
    forward = olivia.set_current_material_version(material.id, 3)
    assert numbers(forward) == {"base_color": 2, "normal": 2, "glossiness": 1}
    for bad, code in ((9, "not_found"), ("2", "invalid_argument")):
        with pytest.raises(VaultError) as caught:
            olivia.set_current_material_version(material.id, bad)
        assert caught.value.code == code


def test_material_versions_are_events(olivia, set_up, tmp_path):
    material, textures = set_up
    olivia.add_version(textures["normal"].id, str(write_image(tmp_path / "n2.png", seed=10)))
    olivia.set_current_material_version(material.id, 1)
    actions = [e.action for e in olivia.list_events(material.collection_id).items]
    assert "material_version" in actions and "material_set_current" in actions


def test_a_map_moved_to_the_trash_leaves_the_material(olivia, set_up):
    material, textures = set_up
    olivia.delete_texture(textures["roughness"].id)
    assert [m.role for m in olivia.get_material(material.id).maps] == ["base_color", "normal"]
