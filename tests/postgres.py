"""A throwaway PostgreSQL cluster for tests, started once per test process on a free local port.

Finds Debian's binaries (/usr/lib/postgresql/*/bin), runs initdb in a temp folder (as the
``postgres`` OS user when we are root: PostgreSQL refuses to run as root), starts it on 127.0.0.1
with durability off (a test database needs speed, not crash safety) and removes it at exit.
Each caller of ``fresh_database_url`` gets its own new database.

No PostgreSQL installed: the test is skipped, unless VAULT_REQUIRE_POSTGRES=1 (CI), where it fails.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from live_server import free_port
from services import service_folder, stop_orphans

PREFIX = "vault-pg-"
_lock = threading.Lock()
_cluster: _Cluster | None = None
_counter = itertools.count(1)


def find_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0)
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class _Cluster:
    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.base = service_folder(PREFIX)
        self.data = self.base / "data"
        self.port = free_port()
        as_user = _os_user()
        if as_user:
            pw = pwd.getpwnam(as_user)
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-p {self.port} -h 127.0.0.1 -k {self.base} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=400")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"), "-w",
                  "-t", "60", "-o", options, "start")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._template: str | None = None

    def _run(self, tool: str, *args: str) -> None:
        _run(self.bin_dir, tool, *args)

    def new_database(self, template: str | None = None) -> str:
        import psycopg

        name = f"vault_{os.getpid()}_{next(_counter)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def migrated_template(self) -> str:
        """A database already at the head schema, made once: copying it is cheaper than migrating."""
        if self._template is None:
            from server_api.store.sql.engine import make_engine
            from server_api.store.sql.schema import ensure_schema

            url = self.new_database()
            engine = make_engine(url)
            ensure_schema(engine)
            engine.dispose()  # a template must have no open connections
            self._template = url.rsplit("/", 1)[1]
        return self._template

    def stop(self) -> None:
        _stop(self.bin_dir, self.base)


def _run(bin_dir: Path, tool: str, *args: str) -> None:
    command = [str(bin_dir / tool), *args]
    if as_user := _os_user():
        command = ["runuser", "-u", as_user, "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr or done.stdout}")


def _stop(bin_dir: Path, base: Path) -> None:
    try:
        _run(bin_dir, "pg_ctl", "-D", str(base / "data"), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _stop_orphan(bin_dir: Path, base: Path) -> None:
    """A cluster left by a killed test process (tests/services.py): stop it, remove its folder."""
    try:
        _stop(bin_dir, base)
    except RuntimeError:
        pass  # not running any more: _stop removed the folder anyway


def _os_user() -> str | None:
    """PostgreSQL will not run as root: borrow the ``postgres`` account Debian's package creates."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root, but there is no 'postgres' OS user to run PostgreSQL") from None
    return "postgres"


def cluster_url() -> str:
    """The running test cluster's admin URL (starting it on first use); skips/fails with no PostgreSQL."""
    global _cluster
    with _lock:
        if _cluster is None:
            bin_dir = find_bin_dir()
            if bin_dir is None:
                message = "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin)"
                if os.environ.get("VAULT_REQUIRE_POSTGRES") == "1":
                    pytest.fail(message + " and VAULT_REQUIRE_POSTGRES=1")
                pytest.skip(message)
            stop_orphans(PREFIX, lambda base: _stop_orphan(bin_dir, base))
            _cluster = _Cluster(bin_dir)
            atexit.register(_cluster.stop)
        return _cluster.url


def fresh_database_url(*, migrated: bool = False) -> str:
    """A new database on the test cluster (postgresql+psycopg://…): empty, or already at the head
    schema when ``migrated`` (a copy of a template migrated once per session)."""
    cluster_url()
    with _lock:
        template = _cluster.migrated_template() if migrated else None
    return _cluster.new_database(template)


@pytest.fixture
def postgres_url() -> str:
    return fresh_database_url()
