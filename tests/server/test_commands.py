"""The command lines a studio admin and an artist type: vault-server create-user/serve, vault login."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from live_server import ROOT, LiveServer

from server_api.cli import credentials
from server_api.core.errors import VaultError

PASSWORD = "a long enough password"


def run(module: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`vault-server create-user` twice, then `vault-server serve` in its own process."""
    data = tmp_path_factory.mktemp("served") / "data"
    refused = run("server_api.cli.server", "create-user", "bob", "--data", str(data), stdin=PASSWORD + "\n")
    made_admin = run("server_api.cli.server", "create-user", "alice", "--admin", "--data", str(data),
                     stdin=PASSWORD + "\n")
    made_user = run("server_api.cli.server", "create-user", "bob", "--data", str(data), stdin=PASSWORD + "\n")
    server = LiveServer(data, subprocess=True).start()
    yield server, (refused, made_admin, made_user)
    server.stop()


def test_create_user_reads_the_password_from_stdin_and_the_first_must_be_admin(served):
    server, (refused, made_admin, made_user) = served
    assert refused.returncode == 2 and "--admin" in refused.stderr
    assert made_admin.returncode == 0 and "created server admin alice" in made_admin.stdout
    assert made_user.returncode == 0 and "created user bob" in made_user.stdout
    assert server.store(server.login("bob", PASSWORD)).current_user().username == "bob"


def test_vault_login_keeps_a_private_token_that_the_cli_then_uses(served):
    server, _ = served
    signed_in = run("server_api.cli.vault", "login", server.url, stdin=f"alice\n{PASSWORD}\n")
    assert signed_in.returncode == 0, signed_in.stderr
    path = credentials.credentials_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert list(saved) == [server.url] and PASSWORD not in path.read_text()

    made = run("server_api.cli.vault", "--vault", server.url + "/", "collection", "create", "Props")
    assert made.returncode == 0, made.stderr
    listed = run("server_api.cli.vault", "--vault", server.url, "collection", "list", "--json")
    assert [c["name"] for c in json.loads(listed.stdout)] == ["Props"]

    out = run("server_api.cli.vault", "logout", server.url)
    assert out.returncode == 0 and "signed out" in out.stdout
    assert json.loads(path.read_text()) == {}
    with pytest.raises(VaultError) as refused:
        server.store(saved[server.url]).current_user()
    assert refused.value.code == "unauthenticated"  # revoked on the server, not only forgotten here


def test_a_wrong_password_at_login_saves_nothing(served):
    server, _ = served
    failed = run("server_api.cli.vault", "login", server.url, "--username", "alice", stdin="wrong password\n")
    assert failed.returncode == 1 and "wrong username or password" in failed.stderr
    assert credentials.token_for(server.url) is None
