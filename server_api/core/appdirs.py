"""Where Texture Vault keeps things on this machine: the platform folders (platformdirs), or the ones
TEXTURE_VAULT_DATA_DIR / _CONFIG_DIR / _CACHE_DIR name (read through ``Settings``, like every setting).

Each function takes the caller's ``Settings``; without one it uses the process's (``settings()``).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from server_api.core.settings import Settings, settings

APP_NAME = "TextureVault"


def _dir(configured: Path | None, default: str) -> Path:
    path = Path(configured or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir(config: Settings | None = None) -> Path:
    return _dir((config or settings()).data_dir, platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir(config: Settings | None = None) -> Path:
    return _dir((config or settings()).config_dir, platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir(config: Settings | None = None) -> Path:
    return _dir((config or settings()).cache_dir, platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_vault_path(config: Settings | None = None) -> Path:
    """The local vault opened on first start."""
    return data_dir(config) / "vault"
