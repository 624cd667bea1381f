"""Throwaway servers for tests (tests/postgres.py, tests/seaweedfs.py) live in temp folders named by a
prefix, each marked with the test process it belongs to (owner.pid). One rule cleans up after test
processes killed before their atexit ran: a folder whose owner is gone is stopped and removed; a
colleague's running suite keeps its own."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

OWNER_FILE = "owner.pid"  # the test process a service folder belongs to


def service_folder(prefix: str) -> Path:
    """A new temp folder for one service, marked as this process's."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    (base / OWNER_FILE).write_text(str(os.getpid()))
    return base


def orphaned_folders(prefix: str) -> Iterator[Path]:
    """Service folders whose owning test process no longer runs."""
    for owner in Path(tempfile.gettempdir()).glob(f"{prefix}*/{OWNER_FILE}"):
        try:
            os.kill(int(owner.read_text()), 0)
            continue  # the owner still runs
        except ProcessLookupError:
            yield owner.parent
        except (ValueError, OSError):
            continue  # unreadable, or not ours to signal: leave it


def stop_orphans(prefix: str, stop: Callable[[Path], None]) -> None:
    """``stop(folder)`` (stop its server, remove the folder) for every orphaned folder."""
    for folder in list(orphaned_folders(prefix)):
        stop(folder)
