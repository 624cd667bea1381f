"""Two `vault-server serve` processes over one PostgreSQL and one content store act as one server
(issue 15): what one instance did, the other sees, and no limit doubles because there are two.

Content: the filesystem store on a folder both instances share (as over NFS), and SeaweedFS's S3
once the content store takes VAULT_CONTENT_URL.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from abuse_server import stall, status_of
from corpus import write_image
from live_server import PASSWORD, ROOT, free_port
from postgres import fresh_database_url

from server_api.core.settings import documented_variables
from server_api.store.rest.client import RestVaultStore
from server_api.store.sql.throttle import MAX_FAILURES

PER_USER = 2  # uploads one account may have in flight, across the whole cluster


class Instance:
    """One `vault-server serve` child process; ``port`` is what tests/abuse_server.stall needs."""

    def __init__(self, data: Path, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server_api.cli.server", "serve", "--data", str(data),
             "--port", str(self.port), "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"instance on {self.url} exited"
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError(f"instance on {self.url} did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _content_env(kind: str) -> dict[str, str]:
    if kind == "file":
        return {}
    if "VAULT_CONTENT_URL" not in {env for env, _default, _doc in documented_variables()}:
        pytest.skip("the S3 content store (VAULT_CONTENT_URL) has not landed yet")
    from seaweedfs import TEST_CREDENTIALS, fresh_content_url

    return {"VAULT_CONTENT_URL": fresh_content_url(), **TEST_CREDENTIALS}


@pytest.fixture(scope="module", params=["file", "s3"])
def pair(request, tmp_path_factory):
    """(instance A, instance B) over one fresh PostgreSQL database and one content store, with an
    admin 'ada' made by `vault-server create-user`. Each test signs in an account of its own."""
    shared = tmp_path_factory.mktemp("shared")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VAULT_PASSWORD_HASH": "cheap",
           "VAULT_DATABASE_URL": fresh_database_url(), "VAULT_UPLOADS_PER_USER": str(PER_USER),
           **_content_env(request.param)}
    subprocess.run([sys.executable, "-m", "server_api.cli.server", "create-user", "ada", "--admin",
                    "--data", str(shared)], input=PASSWORD + "\n", text=True, env=env, cwd=ROOT,
                   check=True, capture_output=True, timeout=60)
    a = Instance(shared, env)
    try:
        b = Instance(shared, env)
    except BaseException:
        a.stop()
        raise
    yield a, b
    a.stop()
    b.stop()


def account(pair, username: str) -> str:
    """A new account made by ada through A, signed in through B: its token."""
    a, b = pair
    admin = RestVaultStore.login(a.url, "ada", PASSWORD)
    RestVaultStore(a.url, token=admin).create_user(username, PASSWORD)
    return RestVaultStore.login(b.url, username, PASSWORD)


def test_what_a_stored_b_lists_serves_byte_exact_and_deletes(pair, tmp_path):
    a, b = pair
    token = account(pair, "bea")
    via_a, via_b = RestVaultStore(a.url, token=token), RestVaultStore(b.url, token=token)  # one token
    collection = via_a.create_collection("Shared").id
    image = write_image(tmp_path / "brick.png", size=(300, 200), seed=7)
    made = via_a.add_texture(collection, image, original_path="/art/brick.png")

    listed = via_b.list_textures(collection)
    assert [t.id for t in listed.items] == [made.id]
    with via_b.open_version(made.current.id) as stream:
        assert stream.read() == image.read_bytes()
    assert via_b.version_thumbnail(made.current.id)[:2] in (b"\xff\xd8", b"\x89P")  # A made it, B serves it

    via_b.delete_texture(made.id)
    assert list(via_a.list_textures(collection).items) == []
    assert [t.id for t in via_a.list_trash(collection)] == [made.id]


def test_a_retry_through_b_after_a_answered_makes_no_second_version(pair, tmp_path):
    a, b = pair
    token = account(pair, "cyd")
    via_a, via_b = RestVaultStore(a.url, token=token), RestVaultStore(b.url, token=token)
    collection = via_a.create_collection("Retries").id
    first = write_image(tmp_path / "a.png", seed=1)
    key = secrets.token_hex(16)
    made = via_a.add_texture(collection, first, original_path="/art/a.png", upload_key=key)
    again = via_b.add_texture(collection, first, original_path="/art/a.png", upload_key=key)
    assert again.id == made.id and again.current.id == made.current.id

    second = write_image(tmp_path / "b.png", seed=2)
    version_key = secrets.token_hex(16)
    v2 = via_b.add_version(made.id, second, upload_key=version_key)
    v2_again = via_a.add_version(made.id, second, upload_key=version_key)
    assert v2_again.id == v2.id
    assert [v.number for v in via_a.list_versions(made.id)] == [2, 1]
    assert via_b.count_textures(collection) == 1


def _login(url: str, username: str, password: str) -> int:
    return requests.post(f"{url}/api/v1/auth/login", json={"username": username, "password": password},
                         timeout=60).status_code


def test_failed_logins_count_across_both_instances(pair):
    a, b = pair
    account(pair, "dov")
    answers = [_login((a, b)[i % 2].url, "dov", "not the password at all") for i in range(MAX_FAILURES)]
    assert answers == [401] * MAX_FAILURES  # alternating: each instance saw fewer than the limit
    assert _login(a.url, "dov", PASSWORD) == 429 and _login(b.url, "dov", PASSWORD) == 429  # locked on both
    assert _login(a.url, "ada", PASSWORD) == 200  # only that name


def test_the_per_account_upload_cap_holds_across_both_instances(pair, tmp_path):
    a, b = pair
    token = account(pair, "eve")
    collection = RestVaultStore(a.url, token=token).create_collection("Cap").id
    image = write_image(tmp_path / "ok.png").read_bytes()

    def upload(instance: Instance) -> requests.Response:
        return requests.post(f"{instance.url}/api/v1/collections/{collection}/textures",
                             headers={"Authorization": f"Bearer {token}"}, timeout=30,
                             files={"file": ("ok.png", image)}, data={"original_path": "/art/ok.png"})

    stalled = [stall(a, token, collection), stall(b, token, collection)]  # one slot taken on each
    try:
        time.sleep(0.5)
        assert [status_of(sock, 0.2) for sock in stalled] == [None, None]  # both admitted, receiving
        refused = [upload(a), upload(b)]
        assert [r.status_code for r in refused] == [429, 429], [r.text for r in refused]
        assert all(r.json()["code"] == "throttled" and int(r.headers["Retry-After"]) > 0 for r in refused)
    finally:
        for sock in stalled:
            sock.close()
    # The stalled uploads' instances give their slots back when the clients go: B's next one is taken.
    deadline = time.monotonic() + 15
    while (answer := upload(b)).status_code == 429 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert answer.status_code == 201, answer.text
