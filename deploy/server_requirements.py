"""Print what the server image installs: pyproject's dependencies and its `server` extra, without the
desktop's Qt (PySide6) — one home for the list (pyproject.toml), read by the Dockerfile.

    python deploy/server_requirements.py [pyproject.toml] > requirements.txt
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

DESKTOP_ONLY = ("pyside6",)  # the server never imports Qt (an import-linter contract says so)


def server_requirements(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["server"]
    return [line for line in dict.fromkeys(wanted) if not line.lower().startswith(DESKTOP_ONLY)]


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "pyproject.toml"
    print("\n".join(server_requirements(Path(sys.argv[1]) if len(sys.argv) > 1 else default)))
