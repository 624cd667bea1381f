"""Durable writes: the one place that knows how to put bytes on disk so a crash never leaves half a file.

``replace_durably`` is the step every durable write ends with: fsync the finished temp file, rename
it over the target, fsync the folder (so the rename itself survives a power cut).
``sync_many`` is that flush for a whole batch at once (one syncfs on Linux, not an fsync per file).
``atomic_writer`` is the whole write for a file whose final name is known up front: a hidden temp
file in the target's own folder (same file system, so the rename is atomic), written, fsynced,
renamed over the target; on any error the temp file is removed and the target left as it was.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

# Every temp file ``atomic_writer`` makes ends with this, so a sweep can recognise crash leftovers.
TEMP_SUFFIX = ".vault-partial"


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:  # Windows needs a writable handle to flush
        os.fsync(f.fileno())


def fsync_dir(path: Path) -> None:
    """Make a rename durable. Windows cannot open a directory for fsync (and needs not)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load_syncfs():
    """Linux's syncfs(2): flush every file of one file system in one call (None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int,)
    return function


_syncfs = _load_syncfs()


def sync_many(files: Iterable[Path], folders: Iterable[Path] = ()) -> None:
    """Make many written files (and renames in ``folders``) durable at once: a batch's ONE flush.

    On Linux one syncfs per file system does it: an fsync per file forces a journal commit each
    (1,000 small blobs: 2,000 commits). Elsewhere, or when syncfs fails, each file and folder is
    fsynced. Raises OSError when the disk could not write them (the caller keeps no row)."""
    files, folders = list(files), list(dict.fromkeys(folders))
    if _syncfs is not None:
        devices = {}
        for folder in dict.fromkeys([*(Path(f).parent for f in files), *folders]):
            devices.setdefault(os.stat(folder).st_dev, folder)
        if all(_syncfs_ok(path) for path in devices.values()):
            return
    for path in files:
        fsync_file(path)
    for folder in folders:
        fsync_dir(folder)


def _syncfs_ok(path: Path) -> bool:
    fd = os.open(path, os.O_RDONLY)
    try:
        return _syncfs(fd) == 0
    finally:
        os.close(fd)


def open_temp_beside(target: Path, permissions: int = 0o666) -> tuple[Path, BinaryIO]:
    """A new hidden temp file in ``target``'s folder (same file system, so renaming it over the
    target is atomic), open for writing. The caller closes it and renames or removes it."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), permissions)
    return temp, os.fdopen(fd, "wb")


def replace_durably(temp: Path, target: Path) -> None:
    """fsync ``temp``, rename it over ``target``, fsync the folder: the target is old or new, never half."""
    fsync_file(temp)
    os.replace(temp, target)
    fsync_dir(target.parent)


@contextmanager
def atomic_writer(
    target: Path, *, durable: bool = True, keep_mode: bool = False, permissions: int = 0o666
) -> Iterator[BinaryIO]:
    """Yield a binary file to write; on a clean exit it replaces ``target`` in one step.

    ``durable=False`` skips the fsyncs (for files that can always be made again, e.g. thumbnails).
    ``keep_mode`` copies the permissions of the file being replaced; ``permissions`` is the mode the
    temp file is created with (0o600 for secrets: never readable by others, not even for a moment).
    """
    target = Path(target)
    temp, opened = open_temp_beside(target, permissions)
    try:
        with opened as out:
            yield out
            out.flush()
            if durable:
                os.fsync(out.fileno())
        if keep_mode and target.exists():
            shutil.copymode(target, temp)
        os.replace(temp, target)
        if durable:
            fsync_dir(target.parent)
    finally:
        temp.unlink(missing_ok=True)


def remove_stale_temps(folder: Path, cutoff: float) -> int:
    """Delete ``atomic_writer`` leftovers (a crash mid-write) in ``folder`` older than ``cutoff``."""
    removed = 0
    for entry in folder.glob(f".*{TEMP_SUFFIX}"):
        try:
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
