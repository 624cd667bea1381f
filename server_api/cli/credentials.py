"""Saved server sign-ins for ``vault login``: one API token per server URL, in the platformdirs
config folder, readable by this OS user only (mode 0600, written atomically).

    vault login http://vault.studio:8765      # asks for username and password (or reads two lines)
    vault --vault http://vault.studio:8765 ls --collection Props
    vault logout http://vault.studio:8765     # revokes the token on the server and forgets it here
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TextIO

from server_api.content.private_json import read_json_object, write_json_object
from server_api.core import appdirs
from server_api.core.errors import VaultError
from server_api.core.settings import Settings, settings

FILE_NAME = "credentials.json"


def credentials_path(config: Settings | None = None) -> Path:
    return appdirs.config_dir(config) / FILE_NAME


def normalize(url: str) -> str:
    url = url.strip().rstrip("/")
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}{sep}{host.lower()}{slash}{path}"


def token_for(url: str, config: Settings | None = None) -> str | None:
    """VAULT_TOKEN when set (scripts, CI), else the token saved by ``vault login`` for that server."""
    config = config or settings()
    return config.token or _load(credentials_path(config)).get(normalize(url))


def save_token(url: str, token: str) -> Path:
    saved = _load()
    saved[normalize(url)] = token
    return _write(saved)


def forget(url: str) -> str | None:
    saved = _load()
    token = saved.pop(normalize(url), None)
    _write(saved)
    return token


def login(url: str, username: str | None = None, *, stdin: TextIO | None = None) -> str:
    """Ask for the username (unless given) and password, sign in, save the token: the username."""
    from server_api.store.rest.client import RestVaultStore

    stdin = stdin or sys.stdin
    interactive = stdin.isatty()
    if not username:
        username = input("Username: ").strip() if interactive else stdin.readline().strip()
    password = getpass.getpass("Password: ") if interactive else stdin.readline().rstrip("\r\n")
    if not username or not password:
        raise VaultError("invalid_argument", "a username and a password are needed (prompted, or one "
                                             "line each on stdin)")
    save_token(url, RestVaultStore.login(url, username, password))
    return username


def logout(url: str) -> bool:
    """Revoke the saved token on the server (when reachable) and forget it. False if none was saved."""
    from server_api.store.rest.client import RestVaultStore

    token = forget(url)
    if token is None:
        return False
    store = RestVaultStore(url, token=token)
    try:
        store.logout()
    except VaultError as exc:
        if exc.code not in ("unauthenticated", "unavailable"):  # already gone, or offline: forgotten anyway
            raise
    finally:
        store.close()
    return True


def _load(path: Path | None = None) -> dict[str, str]:
    data = read_json_object(path or credentials_path(), "saved logins")
    return {str(k): str(v) for k, v in data.items()}


def _write(saved: dict[str, str]) -> Path:
    return write_json_object(credentials_path(), saved)
