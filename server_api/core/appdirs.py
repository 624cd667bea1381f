"""Where Texture Vault keeps things on this machine (platformdirs), with env overrides for tests.

TEXTURE_VAULT_DATA_DIR / _CONFIG_DIR / _CACHE_DIR replace the platform folders when set.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "TextureVault"


def _dir(kind: str, default: str) -> Path:
    path = Path(os.environ.get(f"TEXTURE_VAULT_{kind}_DIR") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _dir("DATA", platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return _dir("CONFIG", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return _dir("CACHE", platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_vault_path() -> Path:
    """The local vault opened on first start."""
    return data_dir() / "vault"
