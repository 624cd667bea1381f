"""The contract suite: every test runs against each face of VaultStore.

A face has ``.name``, ``.admin`` (a store acting as a server admin), ``.user(username, admin=False)``
(creates the account if needed and returns a store acting as that user), ``.engine`` (the database
behind it, for what no API may change, such as how old a row is) and ``.close()``.
To add a face, add one line to FACES: its name and "module:factory", where factory(tmp_path) -> face.
"""

from __future__ import annotations

import importlib
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

FACES: dict[str, str] = {
    "sql": "sql_face:make_face",
    "rest-sqlite": "rest_face:make_sqlite_face",
    "rest-postgres": "rest_face:make_postgres_face",
    "rest-postgres-s3": "rest_face:make_postgres_s3_face",  # bytes in a real SeaweedFS (issue 15)
    "rest-cached": "cached_face:make_face",  # what open_store gives for a URL (issue 16)
}


@pytest.fixture(params=list(FACES))
def face(request, tmp_path):
    module_name, factory = FACES[request.param].split(":")
    made = getattr(importlib.import_module(module_name), factory)(tmp_path / f"face-{request.param}")
    yield made
    made.close()


@dataclass
class Team:
    """One collection and a person at every level of access to it."""

    collection_id: int
    owner: object
    admin: object  # granted admin
    writer: object
    reader: object
    stranger: object  # signed in, no grant
    server_admin: object


@pytest.fixture
def team(face) -> Team:
    owner = face.user("olivia")
    collection = owner.create_collection("Props", "shared with the team")
    for username, level in (("adam", "admin"), ("wanda", "write"), ("rita", "read")):
        face.user(username)
        owner.set_grant(collection.id, username, level)
    return Team(collection.id, owner, face.user("adam"), face.user("wanda"), face.user("rita"),
                face.user("sam"), face.admin)


@pytest.fixture
def write_bomb():
    """Writes a tiny PNG claiming 40000 x 40000 pixels: a decompression bomb if anyone decoded it."""
    return _write_bomb


def _write_bomb(path: Path, side: int = 40_000) -> Path:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path
