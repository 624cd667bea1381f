"""The materials CLI contract: `vault materials`, `vault material show/create/set-role/publish/set-current`,
import grouping reported on stderr, usage errors exit 2."""

from __future__ import annotations

import json

import pytest
from cli_runner import cli_runner
from corpus import write_image


@pytest.fixture
def vault(capsys, tmp_path):
    folder = tmp_path / "vault"

    run = cli_runner(capsys, folder)

    run("init")
    run("collection", "create", "Sets")
    return run


def test_import_groups_and_the_json_shapes_hold(vault, tmp_path):
    art = tmp_path / "art"
    for seed, name in enumerate(
        [
            "Bricks076C_2K-PNG_Color.png",
            "Bricks076C_2K-PNG_NormalDX.png",
            "Bricks076C_2K-PNG_Roughness.png",
            "lone.png",
        ]
    ):
        write_image(art / name, seed=seed)
    done = vault("import", "--collection", "Sets", art)
    assert "materials made or changed: 'Bricks076C' v1" in done.err
    (listed,) = json.loads(vault("materials", "--collection", "Sets", "--json").out)
    assert list(listed) == ["id", "name", "version", "maps"] and listed["version"] == 1
    assert [(m["role"], m["normal_convention"], m["name"]) for m in listed["maps"]] == [
        ("base_color", None, "Bricks076C_2K-PNG_Color.png"),
        ("normal", "directx", "Bricks076C_2K-PNG_NormalDX.png"),
        ("roughness", None, "Bricks076C_2K-PNG_Roughness.png"),
    ]
    assert list(listed["maps"][0]) == ["role", "texture_id", "name", "normal_convention"]
    mid, rough = listed["id"], listed["maps"][2]["texture_id"]

    vault("material", "set-role", mid, rough, "glossiness")
    shown = json.loads(vault("material", "show", mid, "--json").out)
    assert shown["versions"] == [
        {"number": 2, "maps": {"base_color": 1, "normal": 1, "glossiness": 1}},
        {"number": 1, "maps": {"base_color": 1, "normal": 1, "roughness": 1}},
    ]
    vault("material", "set-current", mid, 1)
    assert json.loads(vault("material", "show", mid, "--json").out)["maps"][2]["role"] == "roughness"

    write_image(art / "Bricks076C_2K-PNG_Color.png", seed=50)  # painted over: publish keeps it, then restores
    vault("material", "publish", mid, rc=1)  # the folder is not approved for publishing yet
    published = vault("material", "publish", mid, "--allow-path", art).out
    assert published.count("published v1") == 3
    vault("material", "set-role", mid, rough, "shininess", rc=2)
    vault("material", "show", 999, rc=1)


def test_create_reads_roles_from_texture_names(vault, tmp_path):
    art = tmp_path / "loose"
    write_image(art / "a_albedo.png", seed=1)
    write_image(art / "b_nrm.png", seed=2)
    for result in map(
        json.loads, vault("import", "--collection", "Sets", "--json", art / "a_albedo.png").out.splitlines()
    ):
        first = result["texture_id"]
    second = json.loads(vault("import", "--collection", "Sets", "--json", art / "b_nrm.png").out)[
        "texture_id"
    ]
    made = json.loads(
        vault("material", "create", "--collection", "Sets", "Mixed", first, second, "--json").out
    )
    assert [(m["role"], m["texture_id"]) for m in made["maps"]] == [("base_color", first), ("normal", second)]
