"""A full data volume answers 507 naming the volume, and never fills up through uploads.

Uploads stop while the volume holding the data folder has less than ``min_free`` bytes free (checked
before an upload starts and as it arrives), so deletes and the database keep room to work. A write
that still hits ENOSPC (another process filled the disk) is 507 too, not 500.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

from server_api.core.errors import VaultError

MIB = 1 << 20
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def volume_of(path: Path) -> Path:
    """The mount point holding ``path`` (what an operator frees space on)."""
    path = Path(path).resolve()
    while not os.path.ismount(path) and path != path.parent:
        path = path.parent
    return path


def check_room(folder: Path, incoming: int, min_free: int) -> None:
    """507 unless ``incoming`` more bytes leave at least ``min_free`` free on ``folder``'s volume."""
    if min_free <= 0:
        return
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # not there yet: the write itself will tell
    if free - incoming < min_free:
        raise full(folder, f"{free // MIB} MiB free, uploads stop below {min_free // MIB} MiB")


def full(folder: Path, detail: str) -> VaultError:
    return VaultError("insufficient_storage", f"the server's data volume {volume_of(folder)} is full "
                      f"({detail}); free space there or remove unused textures")


def out_of_space(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is a full disk: ENOSPC/EDQUOT, or SQLite's "disk is full"."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        if isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "orig", None)
    return False
