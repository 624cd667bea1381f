"""The tags-and-search CLI contract: `vault tag add|remove`, `vault tags`, `vault ls --query`,
`vault search`, `vault smart`; JSON shapes, and a bad query named on stderr with exit 1."""

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
    for name in ("Forest", "Rocks"):
        run("collection", "create", name)
    art = tmp_path / "art"
    for seed, name in enumerate(("oak_plank.png", "pine_bark.png")):
        write_image(art / "forest" / name, seed=seed)
    write_image(art / "rocks" / "granite.png", seed=5)
    run("import", "--collection", "Forest", art / "forest")
    run("import", "--collection", "Rocks", art / "rocks")
    return run


def ids_of(run, *args) -> dict[str, int]:
    return {t["name"]: t["id"] for t in json.loads(run(*args, "--json").out)}


def test_tag_ls_query_search_and_tags_json(vault):
    forest = ids_of(vault, "ls", "--collection", "Forest")
    rocks = ids_of(vault, "ls", "--collection", "Rocks")
    out = vault("tag", "add", forest["oak_plank.png"], forest["pine_bark.png"], rocks["granite.png"],
                "--tags", "wood,wip")
    assert "tagged 3 textures: wood, wip" in out.out
    vault("tag", "remove", rocks["granite.png"], "--tags", "wood")
    assert json.loads(vault("tags", "--json").out) == [
        {"name": "wip", "parent": None, "aliases": [], "count": 3},
        {"name": "wood", "parent": None, "aliases": [], "count": 2}]
    only_oak = ids_of(vault, "ls", "--collection", "Forest", "--query", "tag:wood -pine")
    assert list(only_oak) == ["oak_plank.png"]
    found = json.loads(vault("search", "tag:wip", "--json").out)
    assert [(f["name"], f["collection"]) for f in found] == [
        ("granite.png", "Rocks"), ("oak_plank.png", "Forest"), ("pine_bark.png", "Forest")]
    assert {"texture_id", "name", "collection", "format", "width"} <= set(found[0])
    assert found[0]["texture_id"] == rocks["granite.png"]
    assert "nothing found" in vault("search", "tag:wood format:jpeg").out


def test_smart_collections_from_the_cli(vault):
    assert "saved 'PNGs': 3 textures now" in vault("smart", "save", "PNGs", "format:png").out
    listed = json.loads(vault("smart", "--json").out)
    assert [(s["name"], s["query"], s["count"]) for s in listed] == [("PNGs", "format:png", 3)]
    vault("smart", "delete", listed[0]["id"])
    assert "no smart collections yet" in vault("smart").out


@pytest.mark.parametrize("args", [
    ("ls", "--collection", "Forest", "--query", "oak (bark"),
    ("search", "size:>huge"),
    ("smart", "save", "Bad", "OR"),
    ("tag", "add", "1", "--tags", ","),
])
def test_bad_queries_and_tags_are_named_on_stderr(vault, args):
    out = vault(*args, rc=1)
    assert out.err.startswith("vault: ") and out.out == ""
