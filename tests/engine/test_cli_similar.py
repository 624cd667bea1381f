"""The similar-images CLI contract: `vault similar ID [--limit N] [--json]`, `vault dupes --collection
NAME [--json]`, `vault reindex` for versions imported before hashing, and `ls --query similar:ID`."""

from __future__ import annotations

import json
import sqlite3

import pytest
from cli_runner import cli_runner
from similar_images import EDITS, picture, write


@pytest.fixture
def vault(capsys, tmp_path):
    folder = tmp_path / "vault"

    run = cli_runner(capsys, folder)

    run("init")
    for name in ("Forest", "Rocks"):
        run("collection", "create", name)
    bark = picture(2, 384)
    (tmp_path / "forest").mkdir()
    (tmp_path / "rocks").mkdir()
    for name, im in (("bark.png", bark), ("bark_q70.jpg", bark), ("moss.png", picture(5, 384))):
        write(im, tmp_path / "forest" / name)
    write(EDITS["cropped"](bark), tmp_path / "rocks" / "bark_crop.png")
    write(picture(7, 384), tmp_path / "rocks" / "granite.png")
    run("import", "--collection", "Forest", tmp_path / "forest")
    run("import", "--collection", "Rocks", tmp_path / "rocks")
    run.db = folder / "vault.db"
    return run


def ids_of(run, collection) -> dict[str, int]:
    return {t["name"]: t["id"] for t in json.loads(run("ls", "--collection", collection, "--json").out)}


def test_similar_json_is_best_first_across_collections(vault):
    forest, rocks = ids_of(vault, "Forest"), ids_of(vault, "Rocks")
    found = json.loads(vault("similar", forest["bark.png"], "--json").out)
    assert [f["name"] for f in found[:2]] == ["bark_q70.jpg", "bark_crop.png"]
    assert set(found[0]) == {"texture_id", "name", "collection", "distance", "colour_distance"}
    assert found[1]["collection"] == "Rocks" and found[1]["texture_id"] == rocks["bark_crop.png"]
    assert [f["distance"] for f in found[:2]] == sorted(f["distance"] for f in found[:2])
    assert len(json.loads(vault("similar", forest["bark.png"], "--limit", 1, "--json").out)) == 1
    assert "bark_q70.jpg" in vault("similar", forest["bark.png"]).out
    listed = json.loads(vault("ls", "--collection", "Forest", "--query", f"similar:{forest['bark.png']}",
                              "--json").out)
    assert [t["name"] for t in listed] == ["bark_q70.jpg"]


def test_dupes_lists_the_groups_of_a_collection(vault):
    groups = json.loads(vault("dupes", "--collection", "Forest", "--json").out)
    assert [[t["name"] for t in g["textures"]] for g in groups] == [["bark.png", "bark_q70.jpg"]]
    assert "2 textures within" in vault("dupes", "--collection", "Forest").out
    assert "no near-duplicates" in vault("dupes", "--collection", "Rocks").out


def test_bad_input_is_named_and_exits_1(vault):
    assert "texture 99999 not found" in vault("similar", 99999, rc=1).err
    assert "limit must be between 1 and 500" in vault("similar", 1, "--limit", 0, rc=1).err
    assert "distance must be between 0 and 15" in vault("dupes", "--collection", "Forest", "--distance", 16,
                                                          rc=1).err
    assert "collection" in vault("dupes", "--collection", "Nope", rc=1).err


def test_reindex_fingerprints_versions_imported_before_hashing(vault):
    forest = ids_of(vault, "Forest")
    with sqlite3.connect(vault.db) as db:  # as a vault made before migration 0011 would be
        db.execute("DELETE FROM blob_hash")
        db.execute("DELETE FROM blob_colour")
    assert json.loads(vault("similar", forest["bark.png"], "--json").out) == []
    assert "fingerprinted 5 version files" in vault("reindex").out
    found = json.loads(vault("similar", forest["bark.png"], "--json").out)
    assert found[0]["name"] == "bark_q70.jpg"
    assert "fingerprinted 0 version files" in vault("reindex").out


def test_by_colour_json_best_first(vault, tmp_path):
    from PIL import Image

    (tmp_path / "flat").mkdir()
    write(Image.new("RGB", (48, 48), (20, 120, 40)), tmp_path / "flat" / "leaf.png")
    vault("import", "--collection", "Forest", tmp_path / "flat")
    found = json.loads(vault("by-colour", "#147828", "--json").out)
    assert found[0]["name"] == "leaf.png" and found[0]["share"] == 1.0 and found[0]["delta_e"] < 1
    assert set(found[0]) == {"texture_id", "name", "collection", "delta_e", "share"}
    assert "leaf.png" in vault("by-colour", "#147828").out
    assert "bad colour 'green'" in vault("by-colour", "green", rc=1).err
