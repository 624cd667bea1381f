"""Grouping on import and material publish on every face: both layouts, incomplete sets, GL and DX
normals, resolution tokens, two materials in one folder, a lone file; corrections survive later
imports; a failing publish target leaves every other map untouched."""

from __future__ import annotations

import os

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.workflows.importing import import_paths
from server_api.workflows.material_import import group_imported
from server_api.workflows.material_publishing import publish_material
from server_api.workflows.publish_roots import PublishNotApproved, PublishRoots


@pytest.fixture
def olivia(face):
    return face.user("olivia")


def imported(store, collection_id, *paths):
    results = import_paths(store, collection_id, [str(p) for p in paths], workers=2)
    assert all(r.status != "rejected" for r in results), [r.error for r in results if r.error]
    return group_imported(store, collection_id, results)


def roles(material):
    return {
        m.name: m.role + (f"/{m.normal_convention}" if m.normal_convention else "") for m in material.maps
    }


def test_both_layouts_two_sets_in_one_folder_and_a_lone_file(olivia, tmp_path):
    collection = olivia.create_collection("Import")
    drop = tmp_path / "drop"
    for seed, name in enumerate(
        [
            "Rock_2K_Albedo.png",
            "Rock_2K_NormalGL.png",
            "Rock_2K_NormalDX.png",
            "Rock_2K_Roughness.png",
            "wood_col.png",
            "wood_nrm.png",
            "photo.png",
            "Planks/albedo.png",
            "Planks/normal.png",
        ]
    ):
        write_image(drop / name, seed=seed)
    made = imported(olivia, collection.id, drop)
    assert sorted(m.name for m in made) == ["Planks", "Rock", "wood"]
    by_name = {m.name: m for m in olivia.list_materials(collection.id).items}
    assert roles(by_name["Rock"]) == {
        "Rock_2K_Albedo.png": "base_color",
        "Rock_2K_NormalDX.png": "normal/directx",
        "Rock_2K_NormalGL.png": "normal/opengl",
        "Rock_2K_Roughness.png": "roughness",
    }
    assert roles(by_name["wood"]) == {"wood_col.png": "base_color", "wood_nrm.png": "normal"}
    assert roles(by_name["Planks"]) == {"albedo.png": "base_color", "normal.png": "normal"}
    assert all(m.version == 1 for m in by_name.values())
    in_materials = {m.texture_id for mat in by_name.values() for m in mat.maps}
    photo = olivia.find_texture(collection.id, original_path=str((drop / "photo.png").resolve()))
    assert photo is not None and photo.id not in in_materials  # a lone file stays a plain texture


def test_a_map_imported_later_joins_its_set_even_after_a_rename(olivia, tmp_path):
    collection = olivia.create_collection("Later")
    write_image(tmp_path / "set" / "brick_diff_4k.jpg", "jpeg", seed=1)
    write_image(tmp_path / "set" / "brick_nor_gl_4k.png", seed=2)
    (material,) = imported(olivia, collection.id, tmp_path / "set")
    olivia.rename_material(material.id, "Red brick")
    rough = write_image(tmp_path / "set" / "brick_rough_4k.png", seed=3)
    (joined,) = imported(olivia, collection.id, rough)
    assert joined.id == material.id and joined.name == "Red brick" and joined.version == 2
    assert roles(joined)["brick_rough_4k.png"] == "roughness"


def test_corrections_are_never_undone_by_a_later_import(olivia, tmp_path):
    collection = olivia.create_collection("Corrections")
    folder = tmp_path / "set"
    paths = [
        write_image(folder / f"stone_{r}.png", seed=i)
        for i, r in enumerate(("albedo", "normal", "ao", "height"))
    ]
    (material,) = imported(olivia, collection.id, folder)
    ids = {m.name: m.texture_id for m in material.maps}
    olivia.set_map_role(material.id, ids["stone_height.png"], "bump")
    olivia.remove_material_maps(material.id, [ids["stone_ao.png"]])
    split = olivia.split_material(material.id, [ids["stone_normal.png"]], "Stone normal")
    for i, path in enumerate(paths):  # every file changes: new versions, then grouping again
        write_image(path, seed=40 + i)
    imported(olivia, collection.id, folder)
    now = olivia.get_material(material.id)
    assert roles(now) == {"stone_albedo.png": "base_color", "stone_height.png": "bump"}
    assert roles(olivia.get_material(split.id)) == {"stone_normal.png": "normal"}
    assert ids["stone_ao.png"] not in {
        m.texture_id for m in olivia.list_materials(collection.id).items[0].maps
    }


def test_a_batch_import_of_a_changed_set_makes_one_material_version(olivia, tmp_path):
    collection = olivia.create_collection("Batch")
    paths = [
        write_image(tmp_path / "set" / f"tile_{r}.png", seed=i)
        for i, r in enumerate(("color", "normal", "rough"))
    ]
    (material,) = imported(olivia, collection.id, tmp_path / "set")
    for i, path in enumerate(paths):
        write_image(path, seed=60 + i)
    (after,) = imported(olivia, collection.id, tmp_path / "set")
    assert (after.id, after.version, after.version_count) == (material.id, 2, 2)
    assert {m.version_number for m in after.maps} == {2}


def test_publish_writes_every_map_and_a_failing_target_changes_none(olivia, tmp_path):
    collection = olivia.create_collection("Publish")
    folder = tmp_path / "out"
    paths = {
        r: write_image(folder / f"metal_{r}.png", seed=i) for i, r in enumerate(("albedo", "normal", "rough"))
    }
    (material,) = imported(olivia, collection.id, folder)
    originals = {r: p.read_bytes() for r, p in paths.items()}
    for r, p in paths.items():  # the artist paints over the files; publish must put the vault's bytes back
        write_image(p, seed=90)
    painted_first = {r: p.read_bytes() for r, p in paths.items()}
    with pytest.raises(PublishNotApproved):  # the user approved no folder yet: nothing is written or kept
        publish_material(olivia, material.id)
    assert {r: p.read_bytes() for r, p in paths.items()} == painted_first
    assert all(m.version_count == 1 for m in [olivia.get_texture(m.texture_id) for m in material.maps])
    PublishRoots.load(olivia.uri).approve(folder)
    result = publish_material(olivia, material.id)
    assert sorted(p.path for p in result.published) == sorted(str(p.resolve()) for p in paths.values())
    assert {r: p.read_bytes() for r, p in paths.items()} == originals
    assert all(p.kept_version is not None for p in result.published)  # the painted bytes were kept first

    blocked = paths["rough"]
    painted = {
        r: write_image(p, seed=91 + i).read_bytes() for i, (r, p) in enumerate(paths.items()) if r != "rough"
    }
    os.replace(blocked, tmp_path / "aside.png")
    blocked.mkdir()  # a folder where the roughness map should go
    with pytest.raises(VaultError) as caught:
        publish_material(olivia, material.id)
    assert "metal_rough.png" in caught.value.message
    assert {r: paths[r].read_bytes() for r in painted} == painted  # untouched
    assert not [p for p in folder.iterdir() if p.name.endswith(".vault-partial")]
