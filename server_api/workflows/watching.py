"""Watch folders: a collection follows a folder on disk, the way an artist's exports land there.

Files appearing import; files changing become new versions (the import rule decides which). A file
is taken only once every file seen changing has kept its size and mtime for ``settle`` seconds, so
a half-written export is never imported, and an export of a whole material (Substance, Designer
write the maps one after another) lands as ONE import batch: one material version
(workflows/material_import.py). The folder may vanish (an unmounted share, a renamed folder): the
watch waits for it and, when it is back, looks at every file again (what changed meanwhile imports).
Uses ``watchfiles`` (inotify, FSEvents, ReadDirectoryChangesW; polling where none works).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.imaging.formats import has_image_suffix
from server_api.store.base import VaultStore
from server_api.store.entities import ImportResult
from server_api.store.material_entities import Material
from server_api.workflows.importing import expand_paths, import_paths
from server_api.workflows.material_import import group_imported

SETTLE_SECONDS = 2.0  # Photoshop and Substance write a 4K map in well under this
POLL_MS = 250  # how often the settling files are looked at while nothing else happens


@dataclass(frozen=True)
class WatchReport:
    """What one settled batch did."""

    results: tuple[ImportResult, ...]
    materials: tuple[Material, ...] = ()

    def summary(self) -> str:
        """One line for a status bar: 'watch: 2 added, 1 new version; material 'Bricks' v2'."""
        counts = {s: sum(r.status == s for r in self.results) for s in ("added", "new_version", "rejected")}
        parts = [f"{counts['added']} added"] if counts["added"] else []
        if counts["new_version"]:
            parts.append(counted(counts["new_version"], "new version"))
        if counts["rejected"]:
            parts.append(f"{counts['rejected']} rejected")
        text = ", ".join(parts) or "nothing new"
        if self.materials:
            text += "; " + ", ".join(f"material {m.name!r} v{m.version}" for m in self.materials)
        return text


@dataclass
class SettlingFiles:
    """Files seen changing; taken together once none of them changed size or mtime for ``settle`` s."""

    settle: float
    _seen: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    _quiet_since: float = 0.0

    def note(self, path: str, now: float) -> None:
        self._seen[path] = None  # unknown until looked at: the quiet starts again
        self._quiet_since = now

    def take(self, now: float) -> list[str]:
        """Every noted file still there, once all are stable; [] while any is still changing."""
        for path in list(self._seen):
            try:
                stat = os.stat(path)
            except OSError:
                del self._seen[path]  # gone again (a temp file, a deleted export)
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            if self._seen[path] != signature:
                self._seen[path] = signature
                self._quiet_since = now
        if not self._seen or now - self._quiet_since < self.settle:
            return []
        ready = sorted(self._seen)
        self._seen.clear()
        return ready


def wanted(path: str) -> bool:
    """An image file by name, not hidden (editors' and our own temp files start with '.')."""
    name = os.path.basename(path)
    return not name.startswith(".") and has_image_suffix(name)


def watch_folder(
    store: VaultStore,
    collection_id: int,
    folder: str | os.PathLike[str],
    *,
    stop: threading.Event,
    on_report: Callable[[WatchReport], None],
    on_status: Callable[[str], None] = lambda text: None,
    settle: float = SETTLE_SECONDS,
) -> None:
    """Import what lands in ``folder`` into the collection until ``stop`` is set (or Ctrl+C).

    ``on_report`` gets each settled batch that changed something; ``on_status`` what the watch is
    doing (watching, waiting for the folder, a failed batch to try again). A store error never ends
    the watch."""
    folder = Path(os.path.realpath(Path(folder).expanduser()))
    settling = SettlingFiles(settle)
    while not stop.is_set():
        if not folder.is_dir():
            on_status(f"waiting for {folder} to come back")
            while not folder.is_dir() and not stop.wait(POLL_MS / 1000):
                pass
            continue
        on_status(f"watching {folder}")
        now = time.monotonic()
        for path in expand_paths([folder]):  # what is there now, or changed while we were away
            if wanted(path):
                settling.note(path, now)
        _follow(store, collection_id, folder, settling, stop, on_report, on_status)


def _follow(store, collection_id, folder: Path, settling: SettlingFiles, stop, on_report, on_status) -> None:
    """Until the folder vanishes or the watch stops: note changes, import each settled batch."""
    import watchfiles  # its Rust extension loads when a watch starts, not with every `vault` command

    try:
        changes_seen = watchfiles.watch(
            folder, watch_filter=None, debounce=POLL_MS, step=50, stop_event=stop, rust_timeout=POLL_MS,
            yield_on_timeout=True,  # Ctrl+C raises KeyboardInterrupt (only ever in the main thread)
        )
        for changes in changes_seen:
            now = time.monotonic()
            for change, path in changes:
                if change != watchfiles.Change.deleted and wanted(path):
                    settling.note(path, now)
            ready = settling.take(now)
            if ready:
                _import(store, collection_id, ready, settling, on_report, on_status)
            if not folder.is_dir():
                return
    except OSError:  # the folder went away between the look and the watch
        return


def _import(store, collection_id, paths, settling, on_report, on_status) -> None:
    try:
        results = import_paths(store, collection_id, paths)
        materials = group_imported(store, collection_id, results)
    except VaultError as exc:  # e.g. the server is unreachable: try these files again later
        now = time.monotonic()
        for path in paths:
            settling.note(path, now)
        on_status(f"could not import {counted(len(paths), 'file')} ({exc.message}); trying again")
        return
    if materials or any(r.status != "unchanged" for r in results):  # a rescan finding nothing is quiet
        on_report(WatchReport(tuple(results), tuple(materials)))
