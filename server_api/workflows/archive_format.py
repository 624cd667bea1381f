"""The collection archive (``vault export`` / ``vault import-archive``): one uncompressed tar.

    manifest.json        what the collection holds (see export_collection), FORMAT and VERSION
    blobs/<sha256>       the bytes of every version, once each, named by their sha256

Member names are never built from anything a user named: only ``manifest.json`` and
``blobs/`` + 64 lower-case hex digits are read; anything else in an archive is refused by name
(a crafted archive cannot write or read outside its own members). Textures compress badly, so the
tar is not compressed (and stays seekable for a restore).
"""

from __future__ import annotations

import re
from datetime import datetime

FORMAT = "texture-vault-collection"
VERSION = 1
MANIFEST = "manifest.json"
BLOB_DIR = "blobs/"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024  # a manifest is metadata: 100k textures is well under this
_BLOB_NAME = re.compile(r"blobs/([0-9a-f]{64})")


def blob_member(sha256: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"not a sha256: {sha256!r}")
    return BLOB_DIR + sha256


def sha_of_member(name: str) -> str | None:
    """The sha256 a blob member holds; None for anything that is not a blob member."""
    found = _BLOB_NAME.fullmatch(name)
    return found.group(1) if found else None


def when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
