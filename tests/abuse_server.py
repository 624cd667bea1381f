"""A `vault-server serve` child process for abuse tests and benchmarks: its own settings (VAULT_*
variables), its log captured, its RSS readable, and optionally its data folder on a small tmpfs of its
own (a private mount namespace, so a full disk is real and nothing is left mounted).

    with AbuseServer(tmp_path, env={"VAULT_BODY_IDLE_TIMEOUT_S": "1"}) as server:
        token = server.account("mallory")                  # a signed-in token (created by the admin)
        server.rss()                                        # bytes
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from live_server import PASSWORD, ROOT, free_port


class AbuseServer:
    def __init__(self, folder: Path, *, env: dict[str, str] | None = None, volume_mb: int | None = None):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.log_path = self.folder / "server.log"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "VAULT_PASSWORD_HASH": "cheap", **(env or {})}
        self.env.pop("VAULT_DATABASE_URL", None)
        self.volume_mb = volume_mb
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.admin_token = ""

    def start(self) -> AbuseServer:
        self.data.mkdir(parents=True, exist_ok=True)
        python, server = shlex.quote(sys.executable), "-m server_api.cli.server"
        data = shlex.quote(str(self.data))
        script = (f"printf '%s\\n' {shlex.quote(PASSWORD)} | {python} {server} create-user root --admin "
                  f"--data {data} >/dev/null && exec {python} {server} serve --data {data} "
                  f"--port {self.port} --log-level warning")
        command = ["sh", "-c", script]
        if self.volume_mb:
            mount = f"mount -t tmpfs -o size={self.volume_mb}m vault-test {data}"
            command = [self.unshare(), "--user", "--map-root-user", "--mount", "sh", "-c",
                       f"{mount} && {script}"]
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=self.log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.05)
        else:
            raise RuntimeError(f"server on {self.url} did not start")
        self.admin_token = self.login("root")
        return self

    @staticmethod
    def unshare() -> str:
        found = shutil.which("unshare")
        if not found:
            raise RuntimeError("util-linux's unshare is needed for a private tmpfs")
        return found

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
            self.log.close()

    def __enter__(self) -> AbuseServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # ---- accounts, requests -----------------------------------------------------------------------
    def login(self, username: str) -> str:
        answer = requests.post(f"{self.url}/api/v1/auth/login", timeout=30,
                               json={"username": username, "password": PASSWORD})
        answer.raise_for_status()
        return answer.json()["token"]

    def account(self, username: str) -> str:
        made = self.call("POST", "/api/v1/users", self.admin_token,
                         json={"username": username, "password": PASSWORD})
        assert made.status_code == 201, made.text
        return self.login(username)

    def call(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return requests.request(method, self.url + path, headers={"Authorization": f"Bearer {token}",
                                **kwargs.pop("headers", {})}, **kwargs)

    def collection(self, token: str, name: str) -> int:
        made = self.call("POST", "/api/v1/collections", token, json={"name": name})
        assert made.status_code == 201, made.text
        return made.json()["id"]

    def rss(self) -> int:
        """The server process's resident memory, bytes."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")


def upload_head(server: AbuseServer, token: str, collection_id: int, *, length: int = 10_000_000,
                boundary: str = "stall") -> tuple[bytes, bytes]:
    """Request line + headers, and the body's start: original_path, then the file part's header."""
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="original_path"\r\n\r\n/art/s.png\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.png"\r\n'
            "Content-Type: image/png\r\n\r\n").encode() + b"\x89"
    head = (f"POST /api/v1/collections/{collection_id}/textures HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()
    return head, body


def stall(server: AbuseServer, token: str, collection_id: int) -> socket.socket:
    """A socket that sent an upload's headers, its text field, the file part's header and one byte."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    head, body = upload_head(server, token, collection_id)
    sock.sendall(head + body)
    return sock


def status_of(sock: socket.socket, timeout: float) -> int | None:
    """The HTTP status the server answered on ``sock`` within ``timeout`` s, None if it said nothing."""
    sock.settimeout(timeout)
    try:
        first = sock.recv(64)
    except TimeoutError:
        return None
    except ConnectionResetError:
        return 0
    return int(first.split()[1]) if first.startswith(b"HTTP/1.1") else 0
