"""Files dropped onto a material (the desktop's drop on a material tile), on every face: the
changed maps get new versions and the material ONE version; files naming no map, a second file for
a map, and unchanged bytes are left out with the reason; nothing of another material moves."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.workflows.importing import import_paths
from server_api.workflows.material_drop import drop_onto_material
from server_api.workflows.material_import import group_imported


@pytest.fixture
def olivia(face):
    return face.user("olivia")


def test_a_folder_dropped_on_a_material_makes_one_material_version(olivia, tmp_path):
    collection = olivia.create_collection("Drops")
    art = tmp_path / "art"
    for i, role in enumerate(("BaseColor", "Normal", "Roughness")):
        write_image(art / f"Slate_{role}.png", seed=i)
    results = import_paths(olivia, collection.id, [str(p) for p in sorted(art.iterdir())])
    (material,) = group_imported(olivia, collection.id, results)
    assert material.version == 1

    export = tmp_path / "export_v2"  # a re-export under other names, as a tool writes it
    write_image(export / "slate_albedo.png", seed=40)
    write_image(export / "slate_nrm_gl.png", seed=41)
    (export / "slate_roughness.png").write_bytes((art / "Slate_Roughness.png").read_bytes())  # unchanged
    write_image(export / "slate_albedo_copy_diffuse.png", seed=42)  # a second base colour
    write_image(export / "readme_preview.png", seed=43)  # names no map
    result = drop_onto_material(olivia, material.id, [export])

    assert result.material.version == 2 and result.material.version_count == 2
    by_role = {m.role: m for m in result.material.maps}
    assert (by_role["base_color"].version_number, by_role["normal"].version_number,
            by_role["roughness"].version_number) == (2, 2, 1)
    assert sorted(p.rsplit("/", 1)[-1] for p in result.versioned) == ["slate_albedo.png", "slate_nrm_gl.png"]
    reasons = {path.rsplit("/", 1)[-1]: why for path, why in result.skipped}
    assert reasons["slate_roughness.png"].startswith("the same bytes as Slate_Roughness.png v1")
    assert reasons["readme_preview.png"] == "names no map of 'Slate'"
    assert "already goes to Slate_BaseColor.png" in reasons["slate_albedo_copy_diffuse.png"]
    (v2, v1) = olivia.list_material_versions(material.id)
    assert (v2.number, v1.number) == (2, 1)

    nothing = drop_onto_material(olivia, material.id, [export / "readme_preview.png"])
    assert nothing.versioned == () and nothing.material.version == 2  # no empty material version


def test_more_grouping_proposals_than_one_call_takes_all_land(olivia, tmp_path):
    """A big import's proposals exceed MAX_GROUPS_PER_CALL: the server face sends them in parts."""
    from server_api.store.limits import MAX_GROUPS_PER_CALL
    from server_api.store.material_entities import GroupedMap, MaterialGroup
    from server_api.workflows.grouping import group_files

    collection = olivia.create_collection("Many")
    art = tmp_path / "art"
    paths = [str(write_image(art / f"Moss_{role}.png", seed=i)) for i, role in enumerate(("Color", "Normal"))]
    results = import_paths(olivia, collection.id, paths)
    assert all(r.status == "added" for r in results)
    (real,) = group_files(r.path for r in results)
    missing = [MaterialGroup(key=f"/gone\x00{i}", name=f"gone {i}", why="test",
                             maps=(GroupedMap(f"/gone/g{i}_color.png", "base_color", None, "test"),))
               for i in range(MAX_GROUPS_PER_CALL + 10)]  # files that are in no texture: left alone
    (made,) = olivia.group_textures(collection.id, [*missing, real])
    assert (made.name, len(made.maps), made.version) == ("Moss", 2, 1)
