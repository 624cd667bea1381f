"""scripts/setup.sh and scripts/qt-runtime.sh, the README's first command, on this machine's real
interpreters and Qt: which Python is chosen, and how a missing library becomes one apt-get line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def shell_functions(script: str, *names: str) -> str:
    """The bodies of ``names`` from a script, to call them without running the script."""
    lines = (ROOT / "scripts" / script).read_text().splitlines()
    out, keep = [], False
    for line in lines:
        if any(line.startswith(f"{name}()") for name in names):
            keep = True
        if keep:
            out.append(line)
            if line == "}":
                keep = False
    return "\n".join(out)


def run_bash(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(["bash", "-c", "set -euo pipefail\n" + code], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_setup_picks_the_newest_python_found_in_pyenv_root_and_says_its_version(tmp_path):
    here = Path(sys.executable).resolve()
    version = "{}.{}.{}".format(*sys.version_info[:3])
    versions = tmp_path / "pyenv" / "versions"
    (versions / version / "bin").mkdir(parents=True)
    (versions / version / "bin" / "python3").symlink_to(here)
    code = shell_functions("setup.sh", "version_of", "pick_python")
    code += '\npy=$(pick_python); echo "$py $(version_of $py)"'
    # Only /usr/bin and /bin on PATH, HOME elsewhere: the pyenv under $PYENV_ROOT must be found.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "PYENV_ROOT": str(tmp_path / "pyenv")}
    chosen, *numbers = run_bash(code, env).split()
    on_path = run_bash("for p in python3.14 python3.13 python3.12 python3 python3.11; do command -v $p "
                       '>/dev/null && $p -c "import sys; print(*sys.version_info[:3])"; done; true', env)
    candidates = {tuple(map(int, line.split())) for line in on_path.splitlines() if line}
    candidates.add(tuple(sys.version_info[:3]))
    assert tuple(map(int, numbers)) == max(candidates)  # the newest of all it could see
    if max(candidates) == tuple(sys.version_info[:3]):
        assert chosen == str(versions / version / "bin" / "python3")


@pytest.mark.parametrize(("soname", "package"), [
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libdbus-1.so.3", "libdbus-1-3"), ("libEGL.so.1", "libegl1"), ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"), ("libglib-2.0.so.0", "libglib2.0-0"),
])
def test_a_missing_library_names_its_debian_package(soname, package):
    code = shell_functions("qt-runtime.sh", "package_of") + f"\npackage_of {soname}"
    assert run_bash(code, dict(os.environ)) == package


def test_the_qt_check_passes_where_the_app_runs():
    done = subprocess.run(["bash", str(ROOT / "scripts" / "qt-runtime.sh"), "check"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHON": sys.executable})
    assert done.returncode == 0, done.stderr  # this machine opens windows (the desktop tests do)
