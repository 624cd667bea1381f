"""What is at a path the user handed us, and opening it without ever blocking.

An import must give every input its own clear verdict: a symlink loop, a named pipe (opening one
for reading waits for a writer forever), a socket, a device, an unreadable file or one that vanished
since the folder was listed each get their own reason, as a VaultError naming the file.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

from server_api.core.errors import VaultError

_NOT_FILES = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
    (stat.S_ISCHR, "is a device, not a file"),
    (stat.S_ISBLK, "is a device, not a file"),
)


def _label(path: str | os.PathLike[str]) -> str:
    return os.path.basename(os.fspath(path)) or os.fspath(path)


def path_problem(path: str | os.PathLike[str], exc: OSError) -> VaultError:
    """The verdict for an OSError met while looking at or opening ``path``."""
    label = _label(path)
    if exc.errno == errno.ELOOP:
        return VaultError("invalid_argument", f"{label}: a symlink loop (the link never reaches a file)")
    if exc.errno == errno.ENOENT:
        if os.path.lexists(path):
            return VaultError("not_found", f"{label}: a broken symlink (what it points to is gone)")
        return VaultError("not_found", f"{label}: no such file (moved or deleted since it was chosen?)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return VaultError("permission_denied", f"{label}: cannot read the file (permission denied)")
    if exc.errno == errno.EISDIR:
        return VaultError("invalid_argument", f"{label}: is a folder, not a file")
    return VaultError("invalid_argument", f"{label}: cannot read the file ({exc.strerror or exc})")


def _kind_problem(path: str | os.PathLike[str], mode: int) -> VaultError | None:
    for test, reason in _NOT_FILES:
        if test(mode):
            return VaultError("invalid_argument", f"{_label(path)}: {reason}")
    return None


def check_local_file(path: str | os.PathLike[str]) -> int:
    """The size of the regular, readable file at ``path``; a VaultError with the reason otherwise."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise path_problem(path, exc) from None
    problem = _kind_problem(path, info.st_mode)
    if problem is not None:
        raise problem
    if not os.access(path, os.R_OK):
        raise path_problem(path, PermissionError(errno.EACCES, "permission denied"))
    return info.st_size


def open_local_file(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading. O_NONBLOCK makes a FIFO swapped in after a check open at once
    (and be refused) instead of waiting for a writer; it changes nothing for regular files."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise path_problem(path, exc) from None
    try:
        problem = _kind_problem(path, os.fstat(fd).st_mode)
        if problem is not None:
            raise problem
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
