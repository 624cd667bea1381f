"""`vault export` and `vault import-archive` from the command line: a local vault's collection moves
to a server and back, byte for byte, and a second import changes nothing (exit 0 both times)."""

from __future__ import annotations

import json

import pytest
from corpus import write_image
from live_server import LiveServer

from server_api.cli.vault import main


@pytest.fixture
def run(capsys, monkeypatch):
    def run(target, *args, rc=0):
        capsys.readouterr()
        try:
            code = main(["--vault", str(target), *[str(a) for a in args]])
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        assert code == rc, out.err
        return out
    return run


def listing(run, target, name):
    textures = json.loads(run(target, "ls", "--collection", name, "--json").out)
    return {t["original_path"]: [(v["number"], v["sha256"], v["note"])
                                 for v in json.loads(run(target, "versions", t["id"], "--json").out)]
            for t in textures}


def test_a_collection_moves_from_a_local_vault_to_a_server_and_back(run, tmp_path, monkeypatch):
    local = tmp_path / "vault"
    run(local, "init")
    run(local, "collection", "create", "Props")
    art = tmp_path / "art"
    for seed, name in enumerate(("crate.png", "barrel.png")):
        write_image(art / name, seed=seed)
    run(local, "import", "--collection", "Props", art)
    write_image(art / "crate.png", seed=7)  # a second version of one
    run(local, "import", "--collection", "Props", art)
    out = run(local, "export", "--collection", "Props", tmp_path / "props.tar", "--json")
    assert json.loads(out.out)["versions"] == 3

    server = LiveServer(tmp_path / "server").start()
    try:
        server.add_user("root", admin=True)
        monkeypatch.setenv("VAULT_TOKEN", server.login("root"))
        done = json.loads(run(server.url, "import-archive", tmp_path / "props.tar", "--json").out)
        assert (done["textures_added"], done["versions_added"], done["problems"]) == (2, 3, [])
        assert listing(run, server.url, "Props") == listing(run, local, "Props")
        again = json.loads(run(server.url, "import-archive", tmp_path / "props.tar", "--json").out)
        assert (again["versions_added"], again["textures_unchanged"]) == (0, 2)
        run(server.url, "export", "--collection", "Props", tmp_path / "back.tar")
    finally:
        server.stop()
    monkeypatch.delenv("VAULT_TOKEN")
    run(local, "import-archive", tmp_path / "back.tar", "--into", "Props again")
    assert listing(run, local, "Props again") == listing(run, local, "Props")
    (tmp_path / "junk.tar").write_bytes(b"not a tar at all")
    out = run(local, "import-archive", tmp_path / "junk.tar", rc=1)
    assert "not a usable collection archive" in out.err
