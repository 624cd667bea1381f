"""The CLI side of issue 14's finish: `vault ls/search --sort rank` lists nearest first with each
texture's distance, and `vault reindex` works against a server (admins only: the server fingerprints
in batches, the CLI shows progress), as it does on a vault folder."""

from __future__ import annotations

import json

import pytest
from cli_runner import cli_runner
from live_server import LiveServer
from similar_images import EDITS, picture, write
from sqlalchemy import text

from server_api.imaging.fingerprint import RECIPE


def _pictures(tmp_path):
    art = tmp_path / "art"
    art.mkdir()
    stones = picture(2, 384)
    for name, im in (("a_stones.png", stones), ("b_bright.png", EDITS["brightened"](stones)),
                     ("c_small.png", EDITS["resized"](stones)), ("d_moss.png", picture(5, 384))):
        write(im, art / name)
    return art


def test_ls_and_search_sorted_by_rank_show_distances(capsys, tmp_path):
    run = cli_runner(capsys, tmp_path / "vault")
    run("init")
    run("collection", "create", "Rocks")
    run("import", "--collection", "Rocks", _pictures(tmp_path))
    ids = {t["name"]: t["id"] for t in json.loads(run("ls", "--collection", "Rocks", "--json").out)}
    query = f"similar:{ids['a_stones.png']}~15"
    ranked = json.loads(run("ls", "--collection", "Rocks", "--query", query, "--sort", "rank", "--json").out)
    assert {t["name"] for t in ranked} >= {"b_bright.png", "c_small.png"}
    assert [t["distance"] for t in ranked] == sorted(t["distance"] for t in ranked)
    by_name = json.loads(run("ls", "--collection", "Rocks", "--query", query, "--json").out)
    assert "distance" not in by_name[0]
    found = json.loads(run("search", query, "--sort", "rank", "--json").out)
    assert [f["name"] for f in found] == [t["name"] for t in ranked] and found[0]["collection"] == "Rocks"
    assert "distance" in run("search", query, "--sort", "rank").out
    assert "invalid choice" in run("ls", "--collection", "Rocks", "--sort", "nearest", rc=2).err


@pytest.fixture
def server(tmp_path, monkeypatch):
    with LiveServer(tmp_path / "server") as live:
        live.add_user("root", admin=True)
        live.add_user("bob")
        yield live


def test_reindex_against_a_server_is_for_admins_and_done_by_the_server(capsys, tmp_path, monkeypatch, server):
    run = cli_runner(capsys, server.url)
    monkeypatch.setenv("VAULT_TOKEN", server.login("root"))
    run("collection", "create", "Rocks")
    run("import", "--collection", "Rocks", _pictures(tmp_path))
    with server.root.engine.begin() as db:  # as if an older recipe had made them
        db.execute(text("UPDATE blob_hash SET recipe = :old"), {"old": RECIPE - 1})
    done = run("reindex")
    assert "fingerprinted 4 version files" in done.out and "fingerprinted 4 of 4" in done.err
    with server.root.engine.begin() as db:
        assert db.execute(text("SELECT MIN(recipe) FROM blob_hash")).scalar() == RECIPE
    assert "fingerprinted 0 version files" in run("reindex").out
    monkeypatch.setenv("VAULT_TOKEN", server.login("bob"))
    assert "only a server admin may reindex" in run("reindex", rc=1).err
