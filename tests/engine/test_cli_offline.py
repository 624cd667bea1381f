"""The `vault` CLI against a server that dies (issue 16): ls, versions and search answer from the copy
kept on this machine with one warning line on stderr and exit 0; an import queues; `vault pending`
lists the queue and `vault sync` sends it once the server is back. Real subprocesses throughout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import write_image
from live_server import LiveServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path):
    live = LiveServer(tmp_path / "server", subprocess=True).start()
    live.token = live.add_user("alice", admin=True)
    yield live
    live.stop()


def vault(server, *args, rc=0):
    env = {**os.environ, "PYTHONPATH": str(REPO), "VAULT_TOKEN": server.token}
    command = [sys.executable, "-m", "server_api.cli.vault", "--vault", server.url, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == rc, done.stderr
    return done


def test_ls_versions_and_search_answer_from_the_copy_when_the_server_is_down(server, tmp_path):
    vault(server, "collection", "create", "Props")
    files = [write_image(tmp_path / "in" / n, "png_rgb", (32, 32), seed=i)
             for i, n in enumerate(["wall.png", "floor.png"])]
    vault(server, "import", "--collection", "Props", *files)
    online = vault(server, "ls", "--collection", "Props", "--json")
    listed = json.loads(online.stdout)
    assert sorted(t["name"] for t in listed) == ["floor.png", "wall.png"]
    assert "unreachable" not in online.stderr
    wall = next(t["id"] for t in listed if t["name"] == "wall.png")
    versions_online = json.loads(vault(server, "versions", wall, "--json").stdout)

    server.kill()
    offline = vault(server, "ls", "--collection", "Props", "--json")
    assert json.loads(offline.stdout) == listed
    (warning,) = offline.stderr.strip().splitlines()
    assert f"{server.url} is unreachable: showing what was cached at " in warning
    assert json.loads(vault(server, "versions", wall, "--json").stdout) == versions_online
    filtered = json.loads(vault(server, "ls", "--collection", "Props", "--query=-wall", "--json").stdout)
    assert [t["name"] for t in filtered] == ["floor.png"]
    found = vault(server, "search", "wall", "--json")
    assert "wall.png" in found.stdout and "unreachable" in found.stderr
    missing = vault(server, "ls", "--collection", "Nope", rc=1)  # what was never kept is named
    assert "Nope" in missing.stderr

    # an import while the server is away waits in the queue, and lands once when it is back
    rock = write_image(tmp_path / "in" / "rock.png", "png_rgb", (40, 40), seed=5)
    queued = vault(server, "import", "--collection", "Props", "--json", rock)
    assert json.loads(queued.stdout.splitlines()[0])["status"] == "queued"
    pending = vault(server, "pending")
    assert "#1 pending: upload rock.png into collection" in pending.stdout
    vault(server, "sync", rc=1)  # still down: nothing sent, said so
    server.start()
    sent = vault(server, "sync")
    assert "#1 done" in sent.stdout and "sent 1, 0 still waiting" in sent.stdout
    assert "nothing was waiting" in vault(server, "sync").stdout
    names = [t["name"] for t in json.loads(vault(server, "ls", "--collection", "Props", "--json").stdout)]
    assert sorted(names) == ["floor.png", "rock.png", "wall.png"]


def test_sync_on_a_vault_folder_says_it_has_no_queue(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    base = [sys.executable, "-m", "server_api.cli.vault", "--vault", str(tmp_path / "v")]
    subprocess.run([*base, "init"], check=True, capture_output=True, env=env, timeout=60)
    done = subprocess.run([*base, "sync"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and "is for a server URL" in done.stderr
