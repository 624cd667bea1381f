"""`vault-server backup DIR` / `restore DIR`: a consistent snapshot of a whole server and its return.

A backup folder holds the database (``database.sqlite`` from SQLite's online backup API, or
``database.pgdump`` from ``pg_dump -Fc``), the bytes of every version the snapshot names
(``blobs/<sha256>``) and their thumbnails (``derived/<sha256>.<params>.<fmt>``), and ``backup.json``
written last: a folder without it is an unfinished backup and restore refuses it.

Consistency: the database is snapshotted first and the blob list is read FROM THE SNAPSHOT (the
SQLite copy; on PostgreSQL the dump and the list share one exported transaction snapshot), so the
backup names exactly what it holds. Blobs are immutable and content-addressed, so copying them after
the snapshot is safe; one that ``gc`` removed in between is an error naming it, never a silent gap.
Every file name is made from a sha256 this code checked (64 hex digits), never from a user's input.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from server_api.content.store import THUMBNAIL, ContentStore
from server_api.core.errors import VaultError
from server_api.store.sql.schema import HEAD_REVISION

MANIFEST = "backup.json"
FORMAT = "texture-vault-server-backup"
SQLITE_COPY, PG_DUMP = "database.sqlite", "database.pgdump"
THUMB_PARAMS = ("", "512")
_SHA = re.compile(r"[0-9a-f]{64}")
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupReport:
    folder: str
    database: str  # sqlite | postgresql
    blobs: int
    bytes: int
    thumbnails: int


def backup(database_url: str, content: ContentStore, folder: Path) -> BackupReport:
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise VaultError("conflict", f"{folder} is not empty: back up into a new folder")
    (folder / "blobs").mkdir(parents=True)
    (folder / "derived").mkdir()
    if database_url.startswith("sqlite"):
        kind, hashes = "sqlite", _snapshot_sqlite(_sqlite_path(database_url), folder / SQLITE_COPY)
    else:
        kind, hashes = "postgresql", _snapshot_postgres(database_url, folder / PG_DUMP)
    total = thumbs = 0
    for sha in sorted(hashes):
        if content.stat(sha) is None:
            raise VaultError("not_found", f"blob {sha} is named by the database but not in the content "
                                          "store (removed by gc during the backup?): back up again")
        with content.open(sha) as src, open(folder / "blobs" / sha, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        total += (folder / "blobs" / sha).stat().st_size
        for params in THUMB_PARAMS:
            found = content.get_derived(sha, THUMBNAIL, params)
            if found is not None:
                data, fmt = found
                (folder / "derived" / f"{sha}.{params or '256'}.{fmt.lower()}").write_bytes(data)
                thumbs += 1
    manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(), "database": kind,
                "schema_revision": _revision(folder, kind), "blobs": len(hashes), "bytes": total,
                "thumbnails": thumbs}
    temp = folder / (MANIFEST + ".partial")
    temp.write_text(json.dumps(manifest, indent=1))
    os.replace(temp, folder / MANIFEST)  # last: its presence says the backup is whole
    return BackupReport(str(folder), kind, len(hashes), total, thumbs)


def restore(folder: Path, database_url: str, content: ContentStore, *, force: bool = False) -> BackupReport:
    """Into an empty database and any content store (existing bytes are kept: content-addressed).
    Every blob is verified against its name before the database is put back."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        raise VaultError("invalid_argument",
                         f"{folder} is not a finished backup (no readable {MANIFEST})") from None
    if manifest.get("format") != FORMAT:
        raise VaultError("invalid_argument", f"{folder / MANIFEST} is not a Texture Vault server backup")
    if not force and not _database_empty(database_url):
        raise VaultError("conflict", "the target database already holds a vault: restore into an empty one "
                                     "(or --force to replace it)")
    blobs = [p for p in (folder / "blobs").iterdir() if _SHA.fullmatch(p.name)]
    for path in blobs:
        with open(path, "rb") as src:
            staged = content.stage(src)
        with staged:
            if staged.sha256 != path.name:
                raise VaultError("invalid_argument", f"blobs/{path.name[:12]}… is damaged in the backup")
            staged.commit()
    thumbs = 0
    for path in (folder / "derived").iterdir():
        parts = path.name.split(".")
        if len(parts) == 3 and _SHA.fullmatch(parts[0]) and parts[1] in ("256", "512"):
            content.put_derived(parts[0], THUMBNAIL, path.read_bytes(), parts[2].upper(),
                                "" if parts[1] == "256" else parts[1])
            thumbs += 1
    if manifest["database"] == "sqlite":
        if not database_url.startswith("sqlite"):
            raise VaultError("invalid_argument", "this backup is of a SQLite server: restore it with "
                                                 "VAULT_DATABASE_URL unset (a data folder)")
        target = _sqlite_path(database_url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _snapshot_sqlite(folder / SQLITE_COPY, target)
    else:
        replace = ("--clean", "--if-exists") if force else ("--exit-on-error",)
        _tool("pg_restore", *replace, "--no-owner", "-d", _libpq(database_url), str(folder / PG_DUMP))
    return BackupReport(str(folder), manifest["database"], len(blobs), sum(p.stat().st_size for p in blobs),
                        thumbs)


# ---- the database --------------------------------------------------------------------------------
def _sqlite_path(url: str) -> Path:
    return Path(url.split("///", 1)[1])


def _snapshot_sqlite(source: Path, target: Path) -> set[str]:
    """SQLite's online backup (consistent while writers go on), then the blobs the copy names."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        return {row[0] for row in dst.execute("SELECT DISTINCT blob_sha256 FROM image_version")}
    finally:
        src.close()
        dst.close()


def _snapshot_postgres(url: str, target: Path) -> set[str]:
    """pg_dump and the blob list from ONE snapshot: a repeatable-read transaction exports it."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            hashes = {r[0] for r in conn.execute(text("SELECT DISTINCT blob_sha256 FROM image_version"))}
            _tool("pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(target), _libpq(url))
            conn.execute(text("COMMIT"))
        return hashes
    finally:
        engine.dispose()


def _database_empty(url: str) -> bool:
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        return not path.exists() or path.stat().st_size == 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not conn.execute(text("SELECT 1 FROM information_schema.tables "
                                         "WHERE table_schema = 'public' LIMIT 1")).first()
    finally:
        engine.dispose()


def _revision(folder: Path, kind: str) -> str:
    if kind == "sqlite":
        with sqlite3.connect(folder / SQLITE_COPY) as db:
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else HEAD_REVISION
    return HEAD_REVISION


def _libpq(url: str) -> str:
    """postgresql+psycopg://… (SQLAlchemy) -> postgresql://… (pg_dump, pg_restore)."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def _tool(name: str, *args: str) -> None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(re.search(r"/(\d+)/bin", p).group(1)))
    program = found[-1] if found else shutil.which(name)
    if program is None:
        raise VaultError("unavailable", f"{name} is not installed: PostgreSQL's client tools are needed "
                                        "to back up or restore a PostgreSQL server")
    done = subprocess.run([program, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise VaultError("internal", f"{name} failed: {done.stderr.strip()[-500:]}")
