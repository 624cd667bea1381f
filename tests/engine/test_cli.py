"""The `vault` CLI as scripts use it: exit codes and the JSON shapes of the contract.

One test drives a real subprocess (`python -m server_api.cli.vault`) end to end; the rest call main() in
process, the same code without paying a Python start-up per command on a busy machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import write_corrupt, write_image

from server_api.store import open_store

REPO = Path(__file__).resolve().parents[2]
IMPORT_KEYS = ["path", "status", "texture_id", "version", "format", "width", "height", "error", "note", "qa"]


class Done:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def vault(capsys, monkeypatch):
    """Run the CLI in process: vault(*args, env_vault=None, check_rc=None) -> Done."""
    from server_api.cli.vault import main

    def run(*args, env_vault=None, check_rc=None):
        capsys.readouterr()
        if env_vault:
            monkeypatch.setenv("VAULT", str(env_vault))
        try:
            rc = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's usage errors
            rc = exc.code
        out, err = capsys.readouterr()
        assert check_rc is None or rc == check_rc, err
        return Done(rc, out, err)

    return run


def vault_process(*args, env_vault=None, check_rc=None):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("VAULT", None)
    if env_vault:
        env["VAULT"] = str(env_vault)
    done = subprocess.run([sys.executable, "-m", "server_api.cli.vault", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)
    if check_rc is not None:
        assert done.returncode == check_rc, done.stderr
    return done


def test_a_real_subprocess_imports_and_lists(tmp_path):
    path = tmp_path / "vault"
    vault_process("--vault", path, "init", check_rc=0)
    vault_process("collection", "create", "Rocks", env_vault=path, check_rc=0)
    drop = tmp_path / "drop"
    write_image(drop / "a.png", "png_rgba", size=(40, 20), seed=1)
    write_corrupt(drop / "b_broken.png")
    done = vault_process("--vault", path, "import", "--collection", "Rocks", "--json", drop, check_rc=1)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(line["status"] for line in lines) == ["added", "rejected"]
    assert "1 added" in done.stderr and "1 rejected" in done.stderr
    listed = json.loads(vault_process("--vault", path, "ls", "--collection", "Rocks", "--json").stdout)
    assert [(t["name"], t["width"], t["has_alpha"]) for t in listed] == [("a.png", 40, True)]


@pytest.fixture
def vault_dir(tmp_path, vault):
    path = tmp_path / "vault"
    vault("--vault", path, "init", check_rc=0)
    vault("--vault", path, "collection", "create", "Rocks", check_rc=0)
    return path


def test_import_reports_each_file_as_json_and_exits_1_when_some_are_rejected(vault, vault_dir, tmp_path):
    drop = tmp_path / "drop"
    write_image(drop / "a.png", "png_rgba", size=(40, 20), seed=1)
    write_corrupt(drop / "b_broken.png")
    write_image(drop / "deep" / "c.tif", "tiff_48_rgb", size=(16, 8), seed=2)
    done = vault("--vault", vault_dir, "import", "--collection", "Rocks", "--json", drop, check_rc=1)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert all(list(line) == IMPORT_KEYS for line in lines)
    by_name = {Path(line["path"]).name: line for line in lines}
    assert by_name["a.png"] | {"texture_id": None} == {
        "path": str((drop / "a.png").resolve()), "status": "added", "texture_id": None, "version": 1,
        "format": "PNG", "width": 40, "height": 20, "error": None, "note": None, "qa": []}
    assert (by_name["c.tif"]["status"], by_name["c.tif"]["format"]) == ("added", "TIFF")
    broken = by_name["b_broken.png"]
    assert broken["status"] == "rejected" and "b_broken.png" in broken["error"]
    assert broken["texture_id"] is None and broken["format"] is None


def test_reimport_says_unchanged_or_new_version_and_ls_versions_show_it(vault, vault_dir, tmp_path):
    a = write_image(tmp_path / "in" / "a.png", seed=1)
    b = write_image(tmp_path / "in" / "b.jpg", "jpeg", seed=2)
    vault("--vault", vault_dir, "import", "--collection", "Rocks", "--json", a, b, check_rc=0)
    write_image(b, "jpeg", seed=3)
    done = vault("--vault", vault_dir, "import", "--collection", "Rocks", "--json", tmp_path / "in",
                 check_rc=0)
    results = map(json.loads, done.stdout.splitlines())
    status = {Path(r["path"]).name: (r["status"], r["version"]) for r in results}
    assert status == {"a.png": ("unchanged", 1), "b.jpg": ("new_version", 2)}

    listed = json.loads(vault("--vault", vault_dir, "ls", "--collection", "Rocks", "--json").stdout)
    assert [(t["name"], t["version"], t["format"]) for t in listed] == [
        ("a.png", 1, "PNG"), ("b.jpg", 2, "JPEG")]
    assert {"id", "width", "height", "bit_depth", "has_alpha", "byte_size", "sha256"} <= set(listed[0])

    b_id = listed[1]["id"]
    versions = json.loads(vault("--vault", vault_dir, "versions", b_id, "--json", check_rc=0).stdout)
    assert [(v["number"], v["current"]) for v in versions] == [(2, True), (1, False)]
    vault("--vault", vault_dir, "set-current", b_id, 1, check_rc=0)
    versions = json.loads(vault("--vault", vault_dir, "versions", b_id, "--json", check_rc=0).stdout)
    assert [(v["number"], v["current"]) for v in versions] == [(2, False), (1, True)]


def test_fsck_passes_then_finds_a_damaged_blob(vault, vault_dir, tmp_path):
    a = write_image(tmp_path / "a.png", seed=1)
    vault("--vault", vault_dir, "import", "--collection", "Rocks", a, check_rc=0)
    report = json.loads(vault("--vault", vault_dir, "fsck", "--json", check_rc=0).stdout)
    assert report["ok"] is True and report["problems"] == []
    assert (report["versions_checked"], report["blobs_checked"]) == (1, 1)
    blob = next(p for p in (vault_dir / "blobs").rglob("*") if p.is_file())
    blob.write_bytes(b"bit rot")
    done = vault("--vault", vault_dir, "fsck", check_rc=1)
    assert "damaged" in done.stdout and blob.name in done.stdout


def test_vault_defaults_to_the_environment(vault, vault_dir):
    done = vault("collection", "list", "--json", env_vault=vault_dir, check_rc=0)
    assert [c["name"] for c in json.loads(done.stdout)] == ["Rocks"]


@pytest.mark.parametrize("args", [
    ["ls", "--collection", "Rocks"],  # no --vault and no $VAULT
    ["--vault", "{missing}", "ls", "--collection", "Rocks"],  # not a vault
    ["--vault", "{vault}", "import", "--collection", "Rocks"],  # no paths
    ["--vault", "{vault}", "versions", "not-a-number"],
    ["--vault", "{vault}", "frobnicate"],
])
def test_usage_errors_exit_2(vault, vault_dir, tmp_path, args):
    args = [a.format(vault=vault_dir, missing=tmp_path / "nowhere") for a in args]
    done = vault(*args, check_rc=2)
    assert "usage:" in done.stderr
    assert not (tmp_path / "nowhere").exists()


def test_work_that_fails_exits_1_with_the_reason(vault, vault_dir, tmp_path):
    a = write_image(tmp_path / "a.png")
    done = vault("--vault", vault_dir, "import", "--collection", "Nope", a, check_rc=1)
    assert "Nope" in done.stderr
    done = vault("--vault", vault_dir, "versions", 4242, check_rc=1)
    assert "4242" in done.stderr


def test_trash_lists_restore_brings_back_and_empty_deletes_for_good(vault, vault_dir, tmp_path):
    vault("--vault", vault_dir, "collection", "create", "Wood", check_rc=0)
    paths = [write_image(tmp_path / f"{name}.png", seed=i) for i, name in enumerate(["a_albedo", "b_normal"])]
    vault("--vault", vault_dir, "import", "--collection", "Rocks", *paths, check_rc=0)
    vault("--vault", vault_dir, "import", "--collection", "Wood", write_image(tmp_path / "w.png", seed=9),
          check_rc=0)
    store = open_store(str(vault_dir))
    try:
        for texture in (*store.list_textures(store.find_collection("Rocks").id).items,
                        *store.list_textures(store.find_collection("Wood").id).items):
            store.delete_texture(texture.id)
    finally:
        store.close()

    listed = json.loads(vault("--vault", vault_dir, "trash", "--json", check_rc=0).stdout)
    assert sorted((t["name"], t["collection"]) for t in listed) == [
        ("a_albedo.png", "Rocks"), ("b_normal.png", "Rocks"), ("w.png", "Wood")]
    assert all(t["deleted_at"] for t in listed)
    only_wood = vault("--vault", vault_dir, "trash", "--collection", "Wood", check_rc=0).stdout
    assert "w.png" in only_wood and "a_albedo" not in only_wood

    albedo = next(t for t in listed if t["name"] == "a_albedo.png")
    done = vault("--vault", vault_dir, "restore", albedo["id"], check_rc=0)
    assert done.stdout.strip() == f"restored #{albedo['id']} a_albedo.png (1 version)"
    shown = json.loads(vault("--vault", vault_dir, "ls", "--collection", "Rocks", "--json").stdout)
    assert [t["name"] for t in shown] == ["a_albedo.png"]

    emptied = vault("--vault", vault_dir, "trash", "empty", "--collection", "Rocks", check_rc=0)
    assert emptied.stdout.strip() == "emptied the trash: 1 texture deleted for good"
    assert "w.png" in vault("--vault", vault_dir, "trash", check_rc=0).stdout  # Wood's trash stays
    normal = next(t["id"] for t in listed if t["name"] == "b_normal.png")
    gone = vault("--vault", vault_dir, "restore", normal)
    assert gone.returncode == 1 and "not found" in gone.stderr
    vault("--vault", vault_dir, "trash", "empty", check_rc=0)
    assert vault("--vault", vault_dir, "trash", check_rc=0).stdout.strip() == "the trash is empty"


def test_restore_needs_a_number_and_trash_a_known_collection(vault, vault_dir):
    assert vault("--vault", vault_dir, "restore", "abc").returncode == 2
    missing = vault("--vault", vault_dir, "trash", "--collection", "Nope")
    assert missing.returncode == 1 and "Nope" in missing.stderr
