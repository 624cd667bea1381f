"""Auto-tags from folder names: the pure rule, and `vault import --tag-folders` on a local vault and
over a real server (off by default: a plain import adds no tags)."""

from __future__ import annotations

import json

import pytest
from corpus import write_image
from live_server import LiveServer

from server_api.cli.vault import main
from server_api.workflows.folder_tags import folder_tags


def test_the_folders_below_the_dropped_one_are_the_tags(tmp_path):
    root = tmp_path / "Textures"
    assert folder_tags(str(root), str(root / "wood" / "oak" / "bark.png")) == ("wood", "oak")
    assert folder_tags(str(root), str(root / "bark.png")) == ()  # right in the dropped folder
    assert folder_tags(str(root), str(tmp_path / "elsewhere" / "x.png")) == ()  # not under it
    assert folder_tags(str(root), str(root / "a,b" / "stone" / "x.png")) == ("stone",)  # no commas
    assert folder_tags(str(root), str(root / "wood" / "wood" / "x.png")) == ("wood",)  # once


@pytest.fixture(params=["local", "server"])
def vault(request, capsys, tmp_path, monkeypatch):
    if request.param == "local":
        target = str(tmp_path / "vault")
    else:
        server = LiveServer(tmp_path / "server").start()
        request.addfinalizer(server.stop)
        server.add_user("root", admin=True)
        monkeypatch.setenv("VAULT_TOKEN", server.login("root"))
        target = server.url

    def run(*args, rc=0):
        capsys.readouterr()
        try:
            code = main(["--vault", target, *[str(a) for a in args]])
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        assert code == rc, out.err
        return out

    if request.param == "local":
        run("init")
    return run


def test_import_tag_folders_on_every_face(vault, tmp_path):
    art = tmp_path / "Library"
    write_image(art / "wood" / "oak" / "plank.png", seed=1)
    write_image(art / "wood" / "pine.png", seed=2)
    write_image(art / "loose.png", seed=3)
    write_image(tmp_path / "Other" / "stone" / "granite.png", seed=4)
    vault("collection", "create", "Lib")
    out = vault("import", "--collection", "Lib", "--tag-folders", art)
    assert "tagged 2 textures with their folder names" in out.err
    tags = {t["name"]: t["count"] for t in json.loads(vault("tags", "--json").out)}
    assert tags == {"wood": 2, "oak": 1}
    found = json.loads(vault("ls", "--collection", "Lib", "--query", "tag:oak", "--json").out)
    assert [t["name"] for t in found] == ["plank.png"]

    vault("import", "--collection", "Lib", tmp_path / "Other")  # off by default: no tags
    assert {t["name"] for t in json.loads(vault("tags", "--json").out)} == {"wood", "oak"}
