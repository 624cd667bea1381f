"""A real Texture Vault server on 127.0.0.1 for tests: in a thread (cheap) or a subprocess (killable).

    with LiveServer(tmp_path / "server") as server:          # thread; SQLite in that folder
        token = server.add_user("alice", admin=True)          # returns a signed-in token
        store = server.store(token)                           # a RestVaultStore for alice
    server = LiveServer(folder, subprocess=True).start()      # `vault-server serve` in a child process
    server.kill(); ...; server.start()                        # "server died mid-session", same port

``database_url`` puts the database on PostgreSQL (see tests/postgres.py). Restarting keeps the port,
the data folder and the database, so stores and tokens made before keep working after.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, data_dir: Path, *, database_url: str | None = None, subprocess: bool = False,
                 max_upload_bytes: int | None = None, port: int | None = None,
                 settings: dict | None = None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url
        self.in_subprocess = subprocess
        self.max_upload_bytes = max_upload_bytes
        self.overrides = settings or {}  # Settings fields for this server (thread servers only)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None
        self._server = None
        self._root = None
        self.process: subprocess.Popen | None = None

    # ---- running ----------------------------------------------------------------------------
    def start(self) -> LiveServer:
        if self.in_subprocess:
            self._start_process()
        else:
            self._start_thread()
        self._wait_healthy()
        return self

    def stop(self) -> None:
        """A clean shutdown (the thread or process ends)."""
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None
        if self._root is not None:
            self._root.close()
            self._root = None
        if self.process is not None:
            self.process.terminate()
            self._reap()

    def kill(self) -> None:
        """The server dies at once (SIGKILL), mid-request if there is one. Subprocess servers only."""
        assert self.process is not None, "kill() needs LiveServer(..., subprocess=True)"
        self.process.kill()
        self._reap()

    def restart(self) -> LiveServer:
        self.stop()
        return self.start()

    def use_data(self, data_dir: Path, database_url: str | None = None) -> LiveServer:
        """Serve a fresh data folder (and database) from the running thread server, without a
        restart: how the contract faces give every test an empty vault for a few milliseconds."""
        from server_api.http.deps import Settings

        assert self._server is not None, "use_data() needs a running thread server"
        self.data_dir, self.database_url = Path(data_dir), database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        old, self._root = self._root, self._open_root()
        app = self._server.config.app
        app.state.store = self._root
        app.state.settings = Settings(max_upload_bytes=app.state.settings.max_upload_bytes,
                                      tmp_dir=self._root.upload_dir)
        old.close()
        return self

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def root(self):
        """The server's own root SqlVaultStore (thread servers only): for looking at what it stored."""
        assert self._root is not None, "root is there while a thread server runs"
        return self._root

    # ---- accounts and clients -------------------------------------------------------------------
    def add_user(self, username: str, *, admin: bool = False, password: str = PASSWORD) -> str:
        """Create the account straight in the server's store, then log in over HTTP: a token."""
        from server_api.cli.server import create_account

        root = self._root or self._open_root()
        try:
            create_account(root, username, password, admin=admin)
        finally:
            if root is not self._root:
                root.close()
        return self.login(username, password)

    def login(self, username: str, password: str = PASSWORD) -> str:
        from server_api.store.rest.client import RestVaultStore

        return RestVaultStore.login(self.url, username, password)

    def store(self, token: str | None):
        from server_api.store.rest.client import RestVaultStore

        return RestVaultStore(self.url, token=token)

    # ---- internals --------------------------------------------------------------------------------
    def _settings(self):
        """The process's settings with this server's database and upload limit."""
        import dataclasses

        from server_api.core.settings import settings

        changes = {}
        if self.database_url:
            changes["database_url"] = self.database_url
        if self.max_upload_bytes:
            changes["max_upload_mb"] = self.max_upload_bytes / (1 << 20)
        changes.update(self.overrides)
        return dataclasses.replace(settings(), **changes)

    def _open_root(self):
        from server_api.store.sql.opening import open_server_store

        return open_server_store(self._settings(), self.data_dir)

    def _start_thread(self) -> None:
        import uvicorn

        from server_api.http.app import create_app

        self._root = self._open_root()
        app = create_app(self._root, self._settings())
        # Open event streams never end by themselves: a stop cuts them after 2 s (as serve does after 10).
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error",
                                lifespan="off", access_log=False, timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"uvicorn-{self.port}", daemon=True)
        self._thread.start()

    def _start_process(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        if self.database_url:
            env["VAULT_DATABASE_URL"] = self.database_url
        if self.max_upload_bytes:
            env["VAULT_MAX_UPLOAD_MB"] = str(self.max_upload_bytes / (1 << 20))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server_api.cli.server", "serve", "--data", str(self.data_dir),
             "--port", str(self.port), "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
        )

    def _wait_healthy(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self._server is not None and not self._server.started and time.monotonic() < deadline:
            if not self._thread.is_alive():
                raise RuntimeError(f"server thread for {self.url} ended while starting")
            time.sleep(0.002)  # a thread server says when it listens; no need to poll over HTTP
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if requests.get(self.url + "/healthz", timeout=5).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or busy starting
            time.sleep(0.02)
        raise RuntimeError(f"server on {self.url} did not start in {timeout} s")

    def _reap(self) -> None:
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

