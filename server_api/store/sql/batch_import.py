"""Fast import into a SQL vault: files prepared in parallel, rows written in batches by one writer.

Workers (a thread pool) do each file's CPU work outside any transaction: a file whose path is
already a texture is hashed first, and the same bytes are "unchanged" at once (no copy, no Pillow);
otherwise the bytes are staged, hashed and analyzed (``analyze_source``). The calling thread is
the only writer: it takes whatever the workers have ready (up to BATCH_FILES, waiting at most
BATCH_WAIT for more), has the batch's blobs made durable with ONE flush (``ingest.commit_all``, on
a disk thread, while it writes the previous batch's rows; not two fsyncs per file) and then writes
its rows in ONE transaction of Core statements: one write-access check, one SELECT of the batch's
paths, one multi-row INSERT per table. A file is reported only after its batch committed, so
whatever was reported has landed, even if the process dies next; no row before its blob is durable.

Statuses and messages are those of ``importing.import_file``, the per-file path every face has; a
caller who may not write to the collection gets that path, so each file reports its own reason.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from queue import Empty, SimpleQueue

from sqlalchemy import bindparam, func, insert, select, update

from server_api.content.hashes import file_sha256
from server_api.content.local_file import check_local_file
from server_api.core.errors import VaultError
from server_api.store.entities import ImportResult, User
from server_api.store.import_decision import STATUS_OF_ACTION, rejected, unexpected
from server_api.store.qa_rules import QaRule, needs_pixels
from server_api.store.sql import fingerprint_rows, import_lookup
from server_api.store.sql.access import collection_access, record_added
from server_api.store.sql.convert import T, V, now
from server_api.store.sql.ingest import (
    Analyzed,
    Ingested,
    analyze_source,
    commit_all,
    display_name,
    facts_read,
)
from server_api.store.sql.qa_ops import collection_rules, import_facts, results_with_findings
from server_api.store.sql.retention_ops import apply_retention
from server_api.store.sql.rows import check_original_path, scoped_upload_key
from server_api.store.sql.trash_ops import free_trashed_paths

BATCH_FILES = 64  # rows per transaction: large enough to amortise it, small enough to report often
BATCH_WAIT = 0.05  # seconds the writer waits for more files once one is ready
PATHS_PER_SELECT = 500  # stays far below every database's limit on bound parameters
CONFLICT_RETRIES = 3  # a concurrent writer took a path first (PostgreSQL): look again, then give up


@dataclass(frozen=True)
class Current:
    """A texture already at a path, and its current version (what "unchanged" compares with)."""

    texture_id: int
    name: str
    sha256: str
    number: int
    format: str
    width: int
    height: int


@dataclass(frozen=True)
class Staged:
    """A file analyzed in tmp/, on its way to the blob store. ``path`` is its original path;
    ``name`` and ``upload_key`` (an idempotency key) come with a server's batch upload."""

    path: str
    analyzed: Analyzed
    name: str | None = None
    upload_key: str | None = None


@dataclass(frozen=True)
class Prepared:
    """A file whose blob and thumbnail are in the vault; only its rows are missing."""

    path: str
    data: Ingested
    name: str | None = None
    upload_key: str | None = None


def import_batch(store, collection_id: int, files: list[str], *, workers: int | None = None,
                 on_result: Callable[[ImportResult], None] | None = None) -> list[ImportResult] | None:
    """Import ``files`` (absolute paths, no repeats: ``importing.expand_paths``); results in file order.
    None, before any file is touched, when the caller may not write here: the per-file path
    (``importing.import_each``) then gives each file its own verdict."""
    try:
        me = store._me()
        with store._read() as s:  # once per import, not per file; each batch checks again
            collection_access(s, me, collection_id, "write")
            known = _current_by_path(s, collection_id, files)
            rules = collection_rules(s, collection_id)  # pixel rules: facts read while decoding
    except VaultError:
        return None
    wants = {"pixels": True} if needs_pixels(rules) else {}

    ready: SimpleQueue = SimpleQueue()

    def work(path: str) -> None:
        try:
            ready.put(_prepare(store, path, known.get(path), **wants))
        except Exception as exc:  # noqa: BLE001 - logged; this file is rejected, the rest goes on
            ready.put(unexpected(path, exc))
        except BaseException as exc:  # noqa: BLE001 - handed to the writer, which raises it
            ready.put(exc)

    results: dict[str, ImportResult] = {}

    def write(landed: list) -> None:
        for result in write_rows(store, me, collection_id, landed, rules):
            results[result.path] = result
            if on_result is not None:
                on_result(result)

    cpus = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2, thread_name_prefix="import")
    # One batch's flush overlaps the previous batch's rows: the disk and the database wait in parallel.
    disk = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-land")
    try:
        for path in files:
            cpus.submit(work, path)
        gathered, landing = 0, None
        while gathered < len(files):
            batch = _gather(ready, min(BATCH_FILES, len(files) - gathered))
            gathered += len(batch)
            landed_next = disk.submit(land, store, batch)
            if landing is not None:
                write(landing.result())
            landing = landed_next
        if landing is not None:
            write(landing.result())
    finally:
        cpus.shutdown(wait=True, cancel_futures=True)
        disk.shutdown(wait=True)
        _discard_left(ready)  # stopped part-way (Ctrl+C): files analyzed but not landed leave no temp file
    return [results[f] for f in files]


def land(store, batch: list) -> list[Prepared | ImportResult]:
    """The batch's staged files made durable together (one flush); each failure rejects its file alone."""
    staged = [item for item in batch if isinstance(item, Staged)]
    try:
        landed = commit_all(store, [item.analyzed for item in staged])
    except OSError as exc:  # the flush itself failed: no blob of this batch can be trusted
        for item in staged:
            item.analyzed.staged.discard()
        landed = [exc] * len(staged)
    outcome = dict(zip(map(id, staged), landed, strict=True))
    return [item if not isinstance(item, Staged)
            else rejected(item.path, outcome[id(item)]) if isinstance(outcome[id(item)], Exception)
            else Prepared(item.path, outcome[id(item)], item.name, item.upload_key)
            for item in batch]


def _discard_left(ready: SimpleQueue) -> None:
    while True:
        try:
            item = ready.get_nowait()
        except Empty:
            return
        if isinstance(item, Staged):
            item.analyzed.staged.discard()


def _prepare(store, path: str, current: Current | None, *, pixels: bool = False) -> Staged | ImportResult:
    """The per-file CPU work: "unchanged", "rejected", or bytes analyzed in tmp/ (with ``pixels``,
    their QA pixel facts read from the same decode)."""
    try:
        check_local_file(path)
        if current is not None:
            if file_sha256(path) == current.sha256:
                return _result(path, "unchanged", current.texture_id, current.number, current)
            name = current.name
        else:
            name = display_name(check_original_path(path), None)
        return Staged(path, analyze_source(store, path, name, None, pixel_facts=pixels))
    except (VaultError, OSError) as exc:
        return rejected(path, exc)


def _gather(ready: SimpleQueue, limit: int) -> list[Prepared | ImportResult]:
    """Block for one finished file, then take more until ``limit`` or BATCH_WAIT has passed."""
    batch = [_checked(ready.get())]
    deadline = time.monotonic() + BATCH_WAIT
    while len(batch) < limit:
        try:
            batch.append(_checked(ready.get(timeout=max(0.0, deadline - time.monotonic()))))
        except Empty:
            break
    return batch


def _checked(item):
    if isinstance(item, BaseException):
        raise item  # KeyboardInterrupt and the like: stop
    return item


def write_rows(store, me: User, collection_id: int, batch: list, rules: tuple[QaRule, ...] | None = None
               ) -> list[ImportResult]:
    """Rows for every prepared file in one transaction; finished results pass straight through.
    ``rules``: the collection's QA rules as the import read them first (None: read them here)."""
    done = [item for item in batch if isinstance(item, ImportResult)]
    prepared = [item for item in batch if isinstance(item, Prepared)]
    if not prepared:
        return done
    files = [(p.data.sha256, p.data.info.format, p.path) for p in prepared]
    known = facts_read([p.data for p in prepared])
    for attempt in range(CONFLICT_RETRIES):
        facts = import_facts(store, files, collection_id=collection_id, known=known, rules=rules)
        try:
            with store.session() as s:
                access = collection_access(s, me, collection_id, "write")  # a revoked grant counts
                written = results_with_findings(store, s, collection_id,
                                                _insert_rows(s, me, collection_id, prepared), facts, rules)
                # the collection's retention policy, one statement for the batch's new versions
                apply_retention(s, me, access, sorted({r.texture_id for r in written
                                                       if r.status == "new_version"}))
                label = {p.path: display_name(p.path, p.name) for p in prepared}
                record_added(s, me, collection_id, [(r.texture_id, label[r.path], r.version)
                                                    for r in written if r.status in ("added", "new_version")])
                return done + written
        except VaultError as exc:
            if exc.code == "conflict" and attempt + 1 < CONFLICT_RETRIES:
                rules = None  # the rules may have changed too: read them (and their facts) again
                continue
            return done + [rejected(p.path, exc) for p in prepared]
    raise AssertionError("unreachable")


def _insert_rows(s, me: User, collection_id: int, prepared: list[Prepared]) -> list[ImportResult]:
    when = now()
    free_trashed_paths(s, collection_id, [p.path for p in prepared])  # a re-import replaces them
    # THE import decision, made again inside the transaction: another import may have landed the
    # same path or the same bytes since the workers looked.
    decided = import_lookup.decisions(s, me, collection_id, [(p.path, p.data.sha256) for p in prepared])
    results: list[ImportResult] = []
    new: list[Prepared] = []
    versions: list[Prepared] = []
    repeats: list[Prepared] = []  # the same bytes as another new file of this batch
    first_with: dict[str, Prepared] = {}
    for p in sorted(prepared, key=lambda p: p.path):  # of two new files with the same bytes, the first adds
        d = decided[p.path]
        if d.action == "unchanged":
            results.append(_result(p.path, "unchanged", d.texture.texture_id, d.texture.number, p.data.info,
                                   d.note))
        elif d.action == "version":
            versions.append(p)
        elif p.data.sha256 in first_with:
            repeats.append(p)
        else:
            first_with[p.data.sha256] = p
            new.append(p)
    texture_ids = _insert_textures(s, collection_id, new, when)
    numbers = _next_numbers(s, [decided[p.path].texture.texture_id for p in versions])
    rows = [(texture_ids[i], 1, p) for i, p in enumerate(new)]
    rows += [(decided[p.path].texture.texture_id, numbers[decided[p.path].texture.texture_id], p)
             for p in versions]
    if rows:
        # RETURNING the texture id, not asking for parameter order: SQLite then sends the batch as
        # one multi-row INSERT, where sort_by_parameter_order would send a statement per row.
        version_of = dict(s.execute(
            insert(V).returning(V.c.texture_id, V.c.id),
            [_version_row(me, texture_id, number, p.data, when, _scoped_key(me, collection_id, texture_id, p,
                                                                            number))
             for texture_id, number, p in rows],
        ).all())
        s.execute(
            update(T).where(T.c.id == bindparam("tid"))
            .values(current_version_id=bindparam("vid"), updated_at=bindparam("at")),
            [{"tid": t, "vid": version_of[t], "at": when} for t, _, _ in rows],
        )
        fingerprint_rows.keep(s, [(p.data.sha256, p.data.info.fingerprint) for _, _, p in rows])
    for texture_id, number, p in rows:
        status = STATUS_OF_ACTION[decided[p.path].action]
        results.append(_result(p.path, status, texture_id, number, p.data.info, decided[p.path].note))
    added = dict(zip((p.data.sha256 for p in new), texture_ids, strict=True))
    for p in repeats:
        first = first_with[p.data.sha256]
        results.append(_result(p.path, "unchanged", added[p.data.sha256], 1, p.data.info,
                               f"already in the vault as {display_name(first.path, first.name)} v1"))
    return results


def _insert_textures(s, collection_id: int, new: list[Prepared], when) -> list[int]:
    if not new:
        return []
    names = [display_name(p.path, p.name) for p in new]
    id_of = dict(s.execute(
        insert(T).returning(T.c.original_path, T.c.id),  # paths are unique per collection
        [dict(collection_id=collection_id, name=name, name_key=name.lower(), original_path=p.path,
              created_at=when, updated_at=when) for name, p in zip(names, new, strict=True)],
    ).all())
    return [id_of[p.path] for p in new]


def _next_numbers(s, texture_ids: list[int]) -> dict[int, int]:
    """Version N+1 for each texture. The texture rows are locked first (PostgreSQL; SQLite's
    BEGIN IMMEDIATE already holds the write lock), so no other writer reads the same maximum."""
    if not texture_ids:
        return {}
    s.execute(select(T.c.id).where(T.c.id.in_(texture_ids)).with_for_update())
    rows = s.execute(select(V.c.texture_id, func.max(V.c.number))
                     .where(V.c.texture_id.in_(texture_ids)).group_by(V.c.texture_id))
    return {texture_id: (highest or 0) + 1 for texture_id, highest in rows}


def _scoped_key(me: User, collection_id: int, texture_id: int, p: Prepared, number: int) -> str | None:
    """The idempotency key stored as add_texture (a new texture) or add_version (a version) would."""
    target = f"collection {collection_id}" if number == 1 else f"texture {texture_id}"
    return scoped_upload_key(p.upload_key, me, target)


def _version_row(me: User, texture_id: int, number: int, data: Ingested, when, upload_key: str | None
                 ) -> dict:
    info = data.info
    return dict(
        texture_id=texture_id, number=number, blob_sha256=data.sha256, byte_size=data.byte_size,
        format=info.format, width=info.width, height=info.height, mode=info.mode,
        bit_depth=info.bit_depth, has_alpha=info.has_alpha, has_icc=info.has_icc,
            colour_space=info.colour_space,
        orientation=info.orientation, note="", created_by_id=me.id, created_at=when,
        upload_key=upload_key, published_at=None,
    )


def _current_by_path(s, collection_id: int, paths: Iterable[str]) -> dict[str, Current]:
    """The textures of the collection at any of ``paths``, with their current version."""
    paths = list(paths)
    found: dict[str, Current] = {}
    for start in range(0, len(paths), PATHS_PER_SELECT):
        rows = s.execute(
            select(T.c.id, T.c.original_path, T.c.name, V.c.blob_sha256, V.c.number, V.c.format,
                   V.c.width, V.c.height)
            .join(V, V.c.id == T.c.current_version_id)
            .where(T.c.collection_id == collection_id, T.c.deleted_at.is_(None),
                   T.c.original_path.in_(paths[start:start + PATHS_PER_SELECT]))
        )
        for r in rows:
            found[r.original_path] = Current(r.id, r.name, r.blob_sha256, r.number, r.format, r.width,
                                             r.height)
    return found


def _result(path: str, status: str, texture_id: int, number: int, info, note: str | None = None
            ) -> ImportResult:
    return ImportResult(path=path, status=status, texture_id=texture_id, version=number,
                        format=info.format, width=info.width, height=info.height, note=note)
