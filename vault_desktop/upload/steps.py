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

from server_api.content.local_file import check_local_file, open_local_file
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import ImageInfo, ImportResult, QaFinding, Texture
from server_api.store.import_decision import STATUS_OF_ACTION, Known, decide
from server_api.workflows.batched_import import send_batch
from server_api.workflows.importing import original_path_of

from .rows import HASHING, PHASE_END, PHASE_START, READING, THUMBNAIL, UPLOADING, Plan

CHUNK = 1024 * 1024
ACTION_OF_STATUS = {status: action for action, status in STATUS_OF_ACTION.items()}


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
    qa: tuple[QaFinding, ...] = ()  # what the collection's QA rules found on the version written


def plan_for(store: VaultStore, collection_id: int, path: str, sha256: str) -> Plan:
    """What writing will do, by THE import rule (server_api/store/import_decision.py) — the one the
    store applies again when it writes: same original path → new version or unchanged; the same
    bytes elsewhere in the collection → unchanged; else add."""
    at_path = store.find_texture(collection_id, original_path=original_path_of(path))
    same = None if at_path is not None else store.find_texture(collection_id, sha256=sha256)
    decision = decide(sha256, _known(at_path), _known(same))
    texture = at_path if at_path is not None else same
    if decision.action == "unchanged":
        return Plan("unchanged", texture.id, texture.name, texture.current.number)
    if decision.action == "version":
        return Plan("version", texture.id, texture.name, texture.version_count + 1)
    return Plan("add")


def _known(texture: Texture | None) -> Known | None:
    if texture is None:
        return None
    return Known(texture.id, texture.name, texture.current.sha256, texture.current.number)


def _checked(cancelled: Callable[[], bool]) -> None:
    if cancelled():
        raise UploadCancelled()


def hash_file(path: str, on_progress: Callable[[float], None], cancelled: Callable[[], bool]) -> str:
    digest = hashlib.sha256()
    total = max(1, os.path.getsize(path))
    done = 0
    with open_local_file(path) as f:
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
    size = check_local_file(path)  # a FIFO, a loop, a vanished file ... each with its own reason
    _checked(cancelled)
    board.report(key, HASHING)
    sha256 = hash_file(path, lambda f: board.report(key, HASHING, f), cancelled)
    board.report(key, THUMBNAIL)
    # One open: metadata, and a full decode that finds truncated or corrupt pixel data now.
    info, thumb = imaging.analyze(path)
    _checked(cancelled)
    return Prepared(info, sha256, size, thumb.data, plan_for(store, collection_id, path, sha256))


def write(store: VaultStore, collection_id: int, path: str, sha256: str, upload_key: str, key: int,
          board: ProgressBoard, cancelled: Callable[[], bool]) -> Written:
    """Store the file through ``import_source``: the same call (one round trip to a server) and the
    same decision as ``vault import``. The plan is looked up again first only to name the texture:
    an earlier row of the same batch may have added these bytes or this path since it was prepared."""
    _checked(cancelled)
    plan = plan_for(store, collection_id, path, sha256)
    if plan.action != "unchanged":
        board.report(key, UPLOADING)

    def progress(done: int, total: int | None) -> None:
        _checked(cancelled)  # stops a streamed upload part-way; the store keeps nothing half-written
        board.report(key, UPLOADING, done / total if total else 0.0)

    result = store.import_source(collection_id, path, original_path=original_path_of(path), sha256=sha256,
                                 progress=progress, upload_key=upload_key,
                                 defer_material_version=True)  # the queue groups once when idle
    return _written(path, plan, result)


def write_many(store: VaultStore, collection_id: int,
               rows: list[tuple[int, str, str, Plan, Callable[[], bool]]],
               board: ProgressBoard) -> list[Written | ImportResult | UploadCancelled]:
    """Small prepared files (key, path, upload key, plan, cancelled) in ONE ``import_many`` call,
    through the pipeline `vault import` uses (workflows/batched_import.py: one request to a server).
    Per file what was written, its "rejected" ImportResult, or UploadCancelled when it was cancelled
    before the batch left."""
    sending = [(key, path, upload_key) for key, path, upload_key, _plan, cancelled in rows if not cancelled()]
    for key, _path, _upload_key in sending:
        board.report(key, UPLOADING)
    try:
        answers = send_batch(store, collection_id, [(path, upload_key) for _key, path, upload_key in sending],
                             raise_request_errors=True)
    except VaultError as exc:  # refused as a whole: each row fails with the reason, retryable
        answers = [exc] * len(sending)
    result_of = dict(zip((key for key, _path, _upload_key in sending), answers, strict=True))
    answered: list[Written | ImportResult | UploadCancelled] = []
    for key, path, _upload_key, plan, _cancelled in rows:
        result = result_of.get(key)
        answered.append(UploadCancelled() if result is None
                        else result if isinstance(result, VaultError) or result.status == "rejected"
                        else _written(path, plan, result))
    return answered


def _written(path: str, plan: Plan, result: ImportResult) -> Written:
    action = ACTION_OF_STATUS[result.status]
    if (action, result.texture_id) != (plan.action, plan.texture_id):  # another writer came between
        plan = Plan(action, result.texture_id, plan.texture_name if result.texture_id == plan.texture_id
                    else os.path.basename(path), result.version)
    return Written(action, result.texture_id, result.version, plan, result.qa)
