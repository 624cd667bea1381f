"""Materials on every face: create, show, list (paged), maps and roles, a texture in one material
only, corrections (rename, add/remove, set role, split, merge, delete), permissions, events."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.material_entities import MapSpec


def add(store, collection_id, folder, name, seed):
    path = write_image(folder / name, seed=seed)
    return store.add_texture(collection_id, str(path), original_path=str(path))


@pytest.fixture
def brick(team, tmp_path):
    """Four textures of a brick set, not yet a material."""
    owner = team.owner
    return {
        role: add(owner, team.collection_id, tmp_path, f"brick_{role}.png", seed)
        for seed, role in enumerate(("albedo", "normal", "roughness", "ao"))
    }


def test_a_material_holds_maps_with_roles_and_starts_at_version_1(team, brick):
    made = team.writer.create_material(
        team.collection_id,
        "Brick",
        [
            MapSpec(brick["albedo"].id, "base_color"),
            MapSpec(brick["normal"].id, "normal", "directx"),
            MapSpec(brick["roughness"].id, "roughness"),
        ],
    )
    assert made.name == "Brick" and made.collection_id == team.collection_id
    assert [(m.role, m.normal_convention) for m in made.maps] == [
        ("base_color", None),
        ("normal", "directx"),
        ("roughness", None),
    ]
    assert [m.texture_id for m in made.maps] == [brick[r].id for r in ("albedo", "normal", "roughness")]
    assert all(m.version_number == 1 for m in made.maps)
    assert (made.version, made.version_count) == (1, 1)
    assert team.reader.get_material(made.id) == made
    assert team.reader.list_materials(team.collection_id).items == (made,)


def test_a_texture_is_in_at_most_one_material(team, brick):
    team.owner.create_material(team.collection_id, "Brick", [MapSpec(brick["albedo"].id, "base_color")])
    with pytest.raises(VaultError) as caught:
        team.owner.create_material(team.collection_id, "Other", [MapSpec(brick["albedo"].id, "base_color")])
    assert caught.value.code == "conflict" and "brick_albedo.png" in caught.value.message
    other = team.owner.create_material(team.collection_id, "Other", [MapSpec(brick["normal"].id, "normal")])
    with pytest.raises(VaultError) as caught:
        team.owner.add_material_maps(other.id, [MapSpec(brick["albedo"].id, "base_color")])
    assert caught.value.code == "conflict"
    assert [m.name for m in team.owner.list_materials(team.collection_id).items] == ["Brick", "Other"]


def test_bad_input_is_named_and_changes_nothing(team, brick, tmp_path):
    owner = team.owner
    cases = [
        (
            lambda: owner.create_material(team.collection_id, "X", [MapSpec(brick["albedo"].id, "colour")]),
            "invalid_argument",
            "role",
        ),
        (
            lambda: owner.create_material(
                team.collection_id, "X", [MapSpec(brick["normal"].id, "normal", "vulkan")]
            ),
            "invalid_argument",
            "convention",
        ),
        (lambda: owner.create_material(team.collection_id, "  ", []), "invalid_argument", "name"),
        (
            lambda: owner.create_material(team.collection_id, "X", [MapSpec(987654, "base_color")]),
            "not_found",
            "987654",
        ),
        (
            lambda: owner.create_material(
                team.collection_id,
                "X",
                [MapSpec(brick["albedo"].id, "base_color"), MapSpec(brick["albedo"].id, "height")],
            ),
            "invalid_argument",
            "twice",
        ),
        (lambda: owner.get_material(424242), "not_found", "424242"),
    ]
    for call, code, word in cases:
        with pytest.raises(VaultError) as caught:
            call()
        assert caught.value.code == code and word in caught.value.message, caught.value
    other = owner.create_collection("Elsewhere")
    stray = add(owner, other.id, tmp_path, "stray.png", 9)
    with pytest.raises(VaultError) as caught:
        owner.create_material(team.collection_id, "X", [MapSpec(stray.id, "base_color")])
    assert caught.value.code == "not_found"
    assert owner.list_materials(team.collection_id).items == ()


def test_permissions_are_the_collections(team, brick):
    with pytest.raises(VaultError) as caught:
        team.reader.create_material(team.collection_id, "Brick", [MapSpec(brick["albedo"].id, "base_color")])
    assert caught.value.code == "permission_denied"
    made = team.writer.create_material(
        team.collection_id, "Brick", [MapSpec(brick["albedo"].id, "base_color")]
    )
    for call in (
        lambda: team.stranger.get_material(made.id),
        lambda: team.stranger.list_materials(team.collection_id),
        lambda: team.stranger.list_material_versions(made.id),
    ):
        with pytest.raises(VaultError) as caught:
            call()
        assert caught.value.code == "not_found"
    for call in (
        lambda: team.reader.rename_material(made.id, "Mine"),
        lambda: team.reader.delete_material(made.id),
        lambda: team.reader.set_map_role(made.id, brick["albedo"].id, "height"),
    ):
        with pytest.raises(VaultError) as caught:
            call()
        assert caught.value.code == "permission_denied"
    with pytest.raises(VaultError) as caught:
        team.stranger.rename_material(made.id, "Mine")
    assert caught.value.code == "not_found"
    assert team.server_admin.get_material(made.id).name == "Brick"


def test_corrections_rename_add_role_remove(team, brick):
    owner = team.owner
    made = owner.create_material(team.collection_id, "brick", [MapSpec(brick["albedo"].id, "base_color")])
    renamed = owner.rename_material(made.id, "Red brick")
    assert renamed.name == "Red brick" and renamed.version == 1  # a name is no new version
    grown = owner.add_material_maps(
        made.id, [MapSpec(brick["normal"].id, "normal"), MapSpec(brick["ao"].id, "ambient_occlusion")]
    )
    assert [m.role for m in grown.maps] == ["base_color", "normal", "ambient_occlusion"]
    assert grown.version == 2
    corrected = owner.set_map_role(made.id, brick["normal"].id, "normal", "opengl")
    assert [(m.role, m.normal_convention) for m in corrected.maps][1] == ("normal", "opengl")
    assert corrected.version == 3
    as_bump = owner.set_map_role(made.id, brick["normal"].id, "bump", "opengl")  # only normals have one
    assert [(m.role, m.normal_convention) for m in as_bump.maps][1] == ("bump", None)
    corrected = owner.set_map_role(made.id, brick["normal"].id, "normal", "opengl")
    with pytest.raises(VaultError) as caught:
        owner.set_map_role(made.id, brick["roughness"].id, "roughness")
    assert caught.value.code == "not_found"
    shrunk = owner.remove_material_maps(made.id, [brick["ao"].id])
    assert [m.texture_id for m in shrunk.maps] == [brick["albedo"].id, brick["normal"].id]
    assert shrunk.version == 6
    with pytest.raises(VaultError):
        owner.remove_material_maps(made.id, [brick["ao"].id])  # not in it any more
    assert owner.get_texture(brick["ao"].id).name == "brick_ao.png"  # the texture itself stays


def test_split_and_merge(team, brick):
    owner = team.owner
    made = owner.create_material(
        team.collection_id,
        "Brick",
        [
            MapSpec(brick[r].id, role)
            for r, role in (
                ("albedo", "base_color"),
                ("normal", "normal"),
                ("roughness", "roughness"),
                ("ao", "ambient_occlusion"),
            )
        ],
    )
    split = owner.split_material(made.id, [brick["roughness"].id, brick["ao"].id], "Brick masks")
    assert split.name == "Brick masks" and split.version == 1
    assert [m.role for m in split.maps] == ["roughness", "ambient_occlusion"]
    assert [m.role for m in owner.get_material(made.id).maps] == ["base_color", "normal"]
    assert owner.get_material(made.id).version == 2
    merged = owner.merge_materials(made.id, split.id)
    assert [m.role for m in merged.maps] == ["base_color", "normal", "roughness", "ambient_occlusion"]
    assert merged.version == 3
    with pytest.raises(VaultError) as caught:
        owner.get_material(split.id)
    assert caught.value.code == "not_found"
    with pytest.raises(VaultError) as caught:
        owner.merge_materials(made.id, made.id)
    assert caught.value.code == "invalid_argument"


def test_deleting_a_material_keeps_its_textures(team, brick):
    owner = team.owner
    made = owner.create_material(team.collection_id, "Brick", [MapSpec(brick["albedo"].id, "base_color")])
    owner.delete_material(made.id)
    assert owner.list_materials(team.collection_id).items == ()
    assert owner.get_texture(brick["albedo"].id).id == brick["albedo"].id
    again = owner.create_material(team.collection_id, "Brick", [MapSpec(brick["albedo"].id, "base_color")])
    assert again.version == 1


def test_listing_pages_by_name(team, tmp_path):
    owner = team.owner
    names = [f"Mat {i:02d}" for i in range(7)]
    for i, name in enumerate(reversed(names)):
        owner.create_material(
            team.collection_id,
            name,
            [MapSpec(add(owner, team.collection_id, tmp_path, f"m{i}.png", i).id, "base_color")],
        )
    seen, cursor = [], None
    while True:
        page = owner.list_materials(team.collection_id, limit=3, cursor=cursor)
        seen.extend(m.name for m in page.items)
        cursor = page.next
        if cursor is None:
            break
    assert seen == names
    with pytest.raises(VaultError) as caught:
        owner.list_materials(team.collection_id, cursor="not-a-cursor")
    assert caught.value.code == "invalid_argument"


def test_every_material_change_is_an_event(team, brick):
    owner = team.owner
    made = owner.create_material(team.collection_id, "Brick", [MapSpec(brick["albedo"].id, "base_color")])
    owner.rename_material(made.id, "Wall")
    owner.add_material_maps(made.id, [MapSpec(brick["normal"].id, "normal")])
    owner.set_map_role(made.id, brick["normal"].id, "bump")
    owner.remove_material_maps(made.id, [brick["normal"].id])
    split = owner.split_material(made.id, [brick["albedo"].id], "Wall 2")
    owner.merge_materials(made.id, split.id)
    owner.delete_material(made.id)
    actions = [e.action for e in owner.list_events(team.collection_id).items]
    for action in (
        "material_create",
        "material_rename",
        "material_maps",
        "material_split",
        "material_merge",
        "material_delete",
    ):
        assert action in actions, action
    details = " ".join(e.detail for e in owner.list_events(team.collection_id).items)
    assert "'Wall'" in details and "bump" in details
