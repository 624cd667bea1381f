"""Content addresses: every stored file is named by the sha256 of its bytes (never by user input)."""

from __future__ import annotations

import hashlib
import os
import re

from server_api.content.local_file import open_local_file
from server_api.core.errors import VaultError

SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")


def is_sha256(text: str) -> bool:
    return isinstance(text, str) and SHA256_PATTERN.fullmatch(text) is not None


def check_sha256(sha256: str) -> str:
    """The hash itself when it is 64 lowercase hex digits; "invalid_argument" otherwise."""
    if not is_sha256(sha256):
        raise VaultError("invalid_argument", f"not a sha256 content hash: {sha256!r}")
    return sha256


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The content address of a file on this machine (opened with the local-file checks)."""
    with open_local_file(path) as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
