"""What a new studio admin meets first: vault-server without the server extra, and a busy port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from live_server import ROOT


def run_server_cli(*args: str, hide: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    # A None in sys.modules makes `import fastapi` fail exactly as on an app-only install.
    code = ("import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in hide)
            + "from server_api.cli.server import main\nsys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", code, *args], input="a long enough password\n",
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_missing_server_extra_is_one_line_that_says_how_to_install_it(tmp_path):
    for command in (("create-user", "lead", "--admin", "--data", str(tmp_path)),
                    ("serve", "--data", str(tmp_path), "--port", "0")):
        done = run_server_cli(*command, hide=("fastapi", "uvicorn"))
        assert done.returncode == 2
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert "scripts/setup.sh server" in done.stderr and "texture-vault[server]" in done.stderr
    assert not (tmp_path / "vault.db").exists()


def test_serve_on_a_busy_port_says_so_and_never_prints_the_banner(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_server_cli("serve", "--data", str(tmp_path / "data"), "--port", str(port))
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "Texture Vault server on" not in done.stdout
    assert not (tmp_path / "data").exists()  # refused before anything was created
