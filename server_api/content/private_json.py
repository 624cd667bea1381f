"""Small JSON files kept for one user (saved logins, publish roots), written 0600 and atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from server_api.content.durable import atomic_writer
from server_api.core.errors import VaultError


def read_json_object(path: Path, what: str) -> dict[str, Any]:
    """The object in ``path``, {} when there is none yet; ``what`` names the file in errors."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise VaultError("invalid_argument", f"cannot read the {what} in {path}: {exc}") from None
    return data if isinstance(data, dict) else {}


def write_json_object(path: Path, data: dict[str, Any]) -> Path:
    """Created 0600 from the first byte (never readable by others, not even for a moment), then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(path, permissions=0o600) as out:
        out.write(json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
    return path
