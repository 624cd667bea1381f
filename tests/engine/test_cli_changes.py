"""`vault changes [--since N] [--follow] [--json]` in a real subprocess: the history of a local
vault, a cursor to carry on from, bad cursors refused, and --follow printing a server's changes live."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from live_server import LiveServer

REPO = Path(__file__).resolve().parents[2]


def _env(**extra) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), **extra}
    env.pop("VAULT", None)
    return env


def _vault(location, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server_api.cli.vault", "--vault", str(location),
                           *map(str, args)], capture_output=True, text=True, env=_env(**env), timeout=120)


def test_changes_lists_the_history_and_carries_on_from_a_cursor(tmp_path):
    vault = tmp_path / "vault"
    assert _vault(vault, "init").returncode == 0
    assert _vault(vault, "collection", "create", "Props").returncode == 0
    assert _vault(vault, "collection", "create", "Decals").returncode == 0

    lines = _vault(vault, "changes").stdout.splitlines()
    assert len(lines) == 2 and lines[0].split("\t")[3] == "collection_created"
    assert lines[1].endswith("created collection 'Decals'")
    first_cursor = int(lines[0].split("\t")[0])
    later = [json.loads(line) for line in _vault(vault, "changes", "--since", first_cursor, "--json").stdout
             .splitlines()]
    assert [c["detail"]["text"] for c in later] == ["created collection 'Decals'"]
    assert later[0]["cursor"] > first_cursor and later[0]["kind"] == "collection_created"

    bad = _vault(vault, "changes", "--since", "-4")
    assert bad.returncode == 1 and "since must be a cursor" in bad.stderr


def test_follow_prints_a_servers_changes_as_they_happen(tmp_path):
    with LiveServer(tmp_path / "server", settings={"changes_poll_s": 0.05}) as server:
        token = server.add_user("olivia", admin=True)
        olivia = server.store(token)
        olivia.create_collection("Old")  # before --follow: not printed
        follow = subprocess.Popen(
            [sys.executable, "-m", "server_api.cli.vault", "--vault", server.url, "changes", "--follow",
             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=_env(VAULT_TOKEN=token))
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in follow.stdout], daemon=True).start()
        try:
            deadline_tries = 100
            made = None
            while deadline_tries:  # the CLI takes a moment to start and open its stream
                deadline_tries -= 1
                made = olivia.create_collection(f"New {deadline_tries}")
                try:
                    change = json.loads(lines.get(timeout=0.5))
                    break
                except queue.Empty:
                    continue
            assert change["kind"] == "collection_created" and change["actor"] == "olivia"
            assert change["detail"]["text"].startswith("created collection 'New") and made is not None
        finally:
            follow.kill()
            follow.wait(timeout=10)
