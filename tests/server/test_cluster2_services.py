"""The one cleanup rule for throwaway test servers (tests/services.py, used by tests/postgres.py and
tests/seaweedfs.py): a folder whose owning test process is gone is stopped and removed; one whose
owner runs is left alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from services import OWNER_FILE, orphaned_folders, service_folder, stop_orphans


def test_only_folders_of_gone_owners_are_stopped():
    prefix = f"vault-cluster2-{os.getpid()}-"
    mine = service_folder(prefix)
    orphan = service_folder(prefix)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    (orphan / OWNER_FILE).write_text(gone)  # a test process killed before its atexit ran
    try:
        assert (mine / OWNER_FILE).read_text() == str(os.getpid())
        assert list(orphaned_folders(prefix)) == [orphan]
        stopped = []
        stop_orphans(prefix, lambda folder: (stopped.append(folder), shutil.rmtree(folder)))
        assert stopped == [orphan] and not orphan.exists() and mine.exists()
    finally:
        shutil.rmtree(mine, ignore_errors=True)
        shutil.rmtree(orphan, ignore_errors=True)
