"""`vault import`: files and folders into a collection, with a progress bar on a terminal.

Results stream as each file finishes (one JSON object per line with --json), so a script or a
person sees progress even on a huge import, and an import killed part-way has reported what landed.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from server_api.cli.output import import_json, import_line, print_json
from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.store.base import VaultStore
from server_api.store.entities import ImportResult
from server_api.workflows.folder_tags import apply_folder_tags, tags_for_results
from server_api.workflows.importing import expand_paths, import_paths
from server_api.workflows.material_import import group_imported

SUMMARY_LABELS = {"added": "added", "new_version": "new versions", "unchanged": "unchanged",
                  "rejected": "rejected"}


class ProgressBar:
    """A one-line bar on stderr, redrawn at most 10 times a second; silent when stderr is no terminal."""

    WIDTH = 30

    def __init__(self, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.total = max(total, 1)
        self.done = 0
        self.started = time.monotonic()
        self._drawn_at = 0.0

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if not self.enabled or (now - self._drawn_at < 0.1 and self.done < self.total):
            return
        self._drawn_at = now
        filled = self.WIDTH * self.done // self.total
        rate = self.done / max(now - self.started, 1e-6)
        self.stream.write(f"\rimport {self.done}/{self.total} [{'#' * filled}{'-' * (self.WIDTH - filled)}] "
                          f"{rate:.1f} files/s")
        self.stream.flush()


def run_import(store: VaultStore, collection_name: str, paths: list[str], as_json: bool,
               workers: int | None, tag_folders: bool = False) -> int:
    collection = store.find_collection(collection_name)
    files = expand_paths(paths)
    bar = ProgressBar(len(files))
    counts: Counter[str] = Counter()

    def report(result: ImportResult) -> None:
        counts[result.status] += 1
        bar.clear()
        if as_json:
            print_json(import_json(result))
        else:
            sys.stdout.write(import_line(result) + "\n")
            sys.stdout.flush()
        bar.advance()

    results = import_paths(store, collection.id, files, workers=workers, on_result=report)
    bar.clear()
    elapsed = time.monotonic() - bar.started
    summary = ", ".join(f"{counts[status]} {label}" for status, label in SUMMARY_LABELS.items())
    sys.stderr.write(f"imported {counted(len(files), 'file')} into {collection.name!r} in {elapsed:.1f} s: "
                     f"{summary}\n")
    tags_failed = False
    if tag_folders:
        try:
            tagged = apply_folder_tags(store, tags_for_results(paths, results))
            sys.stderr.write(f"tagged {counted(tagged, 'texture')} with their folder names\n")
        except VaultError as exc:  # the files are in; say why their tags are not
            sys.stderr.write(f"folder tags not added: {exc.message}\n")
            tags_failed = True
    materials = group_imported(store, collection.id, results)
    if materials:
        names = ", ".join(f"{m.name!r} v{m.version}" for m in materials)
        sys.stderr.write(f"materials made or changed: {names}\n")
    return 1 if counts["rejected"] or tags_failed else 0
