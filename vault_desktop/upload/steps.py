"""The work done for one file, off the GUI thread: plain functions, plain values, no Qt.

``prepare`` runs in the parallel reads lane (Pillow metadata, hashing, a preview thumbnail, and the
lookup that says what writing will do); ``write`` runs in the one-at-a-time writes lane. Both report
progress to a ``ProgressBoard`` that the GUI reads on a timer, so a thousand files never flood the
event loop with signals.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from server_api.store.base import VaultStore
from server_api.store.entities import ImageInfo
from server_api.workflows.importing import original_path_of

from .rows import HASHING, PHASE_END, PHASE_START, READING, THUMBNAIL, UPLOADING, Plan

CHUNK = 1024 * 1024


class UploadCancelled(Exception):
    """Raised inside a running job when its row was cancelled."""


class ProgressBoard:
    """Latest (state, fraction) per row key, written by workers, taken by the GUI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[int, tuple[str, float]] = {}

    def report(self, key: int, state: str, phase_fraction: float = 0.0) -> None:
        start = PHASE_START[state]
        overall = start + (PHASE_END[state] - start) * min(1.0, max(0.0, phase_fraction))
        with self._lock:
            self._latest[key] = (state, overall)

    def take(self) -> dict[int, tuple[str, float]]:
        with self._lock:
            latest, self._latest = self._latest, {}
        return latest


@dataclass(frozen=True)
class Prepared:
    info: ImageInfo
    sha256: str
    size: int
    thumbnail: bytes
    plan: Plan


@dataclass(frozen=True)
class Written:
    action: str  # "add" | "version" | "unchanged"
    texture_id: int
    version: int
    plan: Plan


def plan_for(store: VaultStore, collection_id: int, path: str, sha256: str) -> Plan:
    """Identical bytes already there → unchanged; same original path → a new version; else add."""
    same = store.find_texture(collection_id, sha256=sha256)
    if same is not None:
        return Plan("unchanged", same.id, same.name, same.current.number)
    at_path = store.find_texture(collection_id, original_path=original_path_of(path))
    if at_path is not None:
        return Plan("version", at_path.id, at_path.name, at_path.version_count + 1)
    return Plan("add")


def _checked(cancelled: Callable[[], bool]) -> None:
    if cancelled():
        raise UploadCancelled()


def hash_file(path: str, on_progress: Callable[[float], None], cancelled: Callable[[], bool]) -> str:
    digest = hashlib.sha256()
    total = max(1, os.path.getsize(path))
    done = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            _checked(cancelled)
            digest.update(chunk)
            done += len(chunk)
            on_progress(done / total)
    return digest.hexdigest()


def prepare(store: VaultStore, collection_id: int, path: str, key: int, board: ProgressBoard,
            cancelled: Callable[[], bool]) -> Prepared:
    """Metadata, hash and preview of one file, and what writing it will do. Writes nothing."""
    from server_api import imaging

    board.report(key, READING)
    size = os.path.getsize(path)
    info = imaging.probe(path)
    _checked(cancelled)
    board.report(key, HASHING)
    sha256 = hash_file(path, lambda f: board.report(key, HASHING, f), cancelled)
    board.report(key, THUMBNAIL)
    # A full decode finds truncated or corrupt pixel data now, before anything is written.
    _, thumb = imaging.analyze(path)
    _checked(cancelled)
    return Prepared(info, sha256, size, thumb.data, plan_for(store, collection_id, path, sha256))


def write(store: VaultStore, collection_id: int, path: str, sha256: str, upload_key: str, key: int,
          board: ProgressBoard, cancelled: Callable[[], bool]) -> Written:
    """Store the file. The plan is looked up again: an earlier row of the same batch may have
    added these bytes or this path since the file was prepared."""
    _checked(cancelled)
    plan = plan_for(store, collection_id, path, sha256)
    if plan.action == "unchanged":
        return Written("unchanged", plan.texture_id, plan.next_version, plan)
    board.report(key, UPLOADING)

    def progress(done: int, total: int | None) -> None:
        _checked(cancelled)  # stops a streamed upload part-way; the store keeps nothing half-written
        board.report(key, UPLOADING, done / total if total else 0.0)

    if plan.action == "version":
        version = store.add_version(plan.texture_id, path, progress=progress, upload_key=upload_key)
        return Written("version", plan.texture_id, version.number, plan)
    texture = store.add_texture(collection_id, path, original_path=original_path_of(path),
                                progress=progress, upload_key=upload_key)
    return Written("add", texture.id, texture.current.number, plan)
