"""Issue 10's publish attack over real HTTP: a writer names where the owner's publish writes.

Before: a writer uploaded a PNG with original_path=/home/lead/.ssh/authorized_keys (or ../../..);
the owner's `vault publish ID` exited 0 and created the file.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from corpus import write_image
from live_server import ROOT, LiveServer

from server_api.core.errors import VaultError
from server_api.workflows.publish_roots import PublishRoots
from server_api.workflows.publishing import publish


@pytest.fixture
def team(tmp_path):
    with LiveServer(tmp_path / "server") as live:
        lead_token = live.add_user("lead", admin=True)
        live.add_user("wanda")
        lead = live.store(lead_token)
        collection = lead.create_collection("Castle")
        lead.set_grant(collection.id, "wanda", "write")
        yield live, lead, lead_token, live.store(live.login("wanda")), collection


def vault_cli(*args: str, token: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server_api.cli.vault", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "VAULT_TOKEN": token})


@pytest.mark.parametrize("named", ["{home}/.ssh/authorized_keys", "{home}/.ssh/evil.png",
                                   "{home}/art/../../../../../../tmp/evil.png", "../../../evil.png"])
def test_the_owners_publish_refuses_what_a_writer_named(team, tmp_path, named):
    live, lead, lead_token, wanda, collection = team
    home = tmp_path / "home" / "lead"
    (home / ".ssh").mkdir(parents=True)
    (home / "art").mkdir()
    planted = wanda.add_texture(collection.id, str(write_image(tmp_path / "w.png", seed=9)),
                                original_path=named.format(home=home))
    PublishRoots.load(lead.uri).approve(home)  # the lead approved their whole home, even so
    with pytest.raises(VaultError) as err:
        publish(lead, planted.id)
    assert err.value.code == "invalid_argument"
    cli = vault_cli("--vault", live.url, "publish", str(planted.id), token=lead_token)
    assert cli.returncode == 1 and "cannot publish" in cli.stderr
    assert list((home / ".ssh").iterdir()) == [] and not (tmp_path / "evil.png").exists()
    assert lead.get_texture(planted.id).published_version_id is None


def test_the_cli_publishes_only_after_allow_path_and_remembers_it(team, tmp_path):
    live, lead, lead_token, wanda, collection = team
    folder = tmp_path / "proj" / "castle"
    folder.mkdir(parents=True)
    texture = wanda.add_texture(collection.id, str(write_image(tmp_path / "w.png", seed=3)),
                                original_path=str(folder / "stone.png"))
    refused = vault_cli("--vault", live.url, "publish", str(texture.id), token=lead_token)
    assert refused.returncode == 1 and f"--allow-path {folder}" in refused.stderr
    assert not (folder / "stone.png").exists()
    allowed = vault_cli("--vault", live.url, "publish", str(texture.id), "--allow-path",
                        str(tmp_path / "proj"), token=lead_token)
    assert allowed.returncode == 0, allowed.stderr
    assert (folder / "stone.png").exists() and f"approved {tmp_path / 'proj'}" in allowed.stderr
    listed = vault_cli("--vault", live.url, "roots", "list", token=lead_token)
    assert str(tmp_path / "proj") in listed.stdout
    again = vault_cli("--vault", live.url, "publish", str(texture.id), token=lead_token)
    assert again.returncode == 0  # approved once, for this vault


def test_roots_commands_set_list_and_remove(team):
    live, _lead, lead_token, _wanda, _collection = team
    made = vault_cli("--vault", live.url, "roots", "set", "proj", "--windows", "P:\\proj", "--linux",
                     "/mnt/proj", token=lead_token)
    assert made.returncode == 0, made.stderr
    listed = vault_cli("--vault", live.url, "roots", "list", "--json", token=lead_token)
    assert '"windows": "P:\\\\proj"' in listed.stdout and '"linux": "/mnt/proj"' in listed.stdout
    half = vault_cli("--vault", live.url, "roots", "set", "x", "--linux", "/mnt/x", token=lead_token)
    assert half.returncode == 1 and "at least two" in half.stderr
    assert vault_cli("--vault", live.url, "roots", "remove", "proj", token=lead_token).returncode == 0
    assert vault_cli("--vault", live.url, "roots", "remove", "proj", token=lead_token).returncode == 1
