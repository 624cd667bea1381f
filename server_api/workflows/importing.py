"""Import files into a collection: the same workflow on every face of the store.

Every input gets exactly one verdict: "added", "new_version", "unchanged" (THE import rule,
store/import_decision.py: original path first, then the same bytes in the collection; the note names
where else the bytes are), or "rejected" with a reason naming the file (a symlink loop, a FIFO, an
unreadable or vanished file, undecodable bytes ...). A bug rather than a bad file is logged with its
traceback; the file is rejected and the rest goes on. ``import_file`` hashes locally and makes ONE
store call (``import_source``: one round trip to a server, several in flight). A store with an
``import_batch`` method (the SQL vault) gets the whole list and writes rows in batches
(server_api/store/sql/batch_import.py) under the same rule; a server gets small files many to a
request (workflows/batched_import.py: ``import_many``, POST .../imports/batch).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from server_api.content.hashes import file_sha256
from server_api.content.local_file import check_local_file
from server_api.content.source import Progress
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import ImportResult
from server_api.store.import_decision import rejected, unexpected

# Uploads in flight to a server: its default per-account cap (VAULT_UPLOADS_PER_USER); more would
# only be told to wait (429). bench/small_import_bench.py measures the effect.
REMOTE_IN_FLIGHT = 4


def original_path_of(path: str | os.PathLike[str]) -> str:
    """The absolute, resolved path remembered as a texture's original path (where publish writes).
    os.path.realpath, not Path.resolve: a symlink loop stays a path (and gets its own verdict)
    instead of raising RuntimeError."""
    return os.path.realpath(os.path.abspath(os.path.expanduser(os.fspath(path))))


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files as given, folders walked recursively in name order; hidden files and folders skipped.
    Paths that do not exist stay in the list, so the import reports them as rejected."""
    files: list[str] = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.is_dir():
            files.append(original_path_of(path))
            continue
        # A folder that cannot be listed, and a link to a folder (never followed: it may loop), stay
        # in the list, so the import gives each its verdict instead of silently skipping it.
        for folder, subfolders, names in os.walk(path, onerror=lambda exc: files.append(exc.filename)):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            links = [os.path.join(folder, d) for d in subfolders]
            files.extend(link for link in links if os.path.islink(link))
            files.extend(original_path_of(Path(folder) / n) for n in sorted(names) if not n.startswith("."))
    return list(dict.fromkeys(files))  # a file named twice (or via two folders) imports once


def import_file(
    store: VaultStore, collection_id: int, path: str | os.PathLike[str], progress: Progress | None = None
) -> ImportResult:
    """One file, decided by THE import rule on the store's side (``VaultStore.import_source``): the
    same call on every face, and one round trip to a server. Every failure becomes the file's verdict."""
    original = original_path_of(path)
    try:
        check_local_file(original)
        sha256 = file_sha256(original)
        return store.import_source(collection_id, original, original_path=original, sha256=sha256,
                                   progress=progress, upload_key=f"import-{uuid.uuid4().hex}",
                                   defer_material_version=True)  # group_imported makes ONE
    except (VaultError, OSError) as exc:
        return rejected(original, exc)
    except Exception as exc:  # noqa: BLE001 - a bug, not a bad file: logged; the rest goes on
        return unexpected(original, exc)


def import_paths(
    store: VaultStore,
    collection_id: int,
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    on_result: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import every file under ``paths``; results in file order, ``on_result`` as each one finishes
    (called from one thread at a time)."""
    files = expand_paths(paths)
    import_batch = getattr(store, "import_batch", None)
    if import_batch is not None:
        batched = import_batch(collection_id, files, workers=workers, on_result=on_result)
        if batched is not None:  # None: not batchable here (no write access...): file by file below
            return batched
    if store.kind == "remote":  # small files many to a request, big ones streamed alone
        from server_api.workflows.batched_import import import_in_batches

        def one(path: str) -> ImportResult:
            return import_file(store, collection_id, path)

        return import_in_batches(store, collection_id, files, one, in_flight=workers, on_result=on_result)
    return import_each(store, collection_id, files, workers=workers, on_result=on_result)


def import_each(
    store: VaultStore,
    collection_id: int,
    files: list[str],
    *,
    workers: int | None = None,
    on_result: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """The per-file path (any face): ``import_file`` for each of ``files`` on a thread pool."""
    results: dict[str, ImportResult] = {}
    if not workers:  # a server's round trips overlap: several uploads in flight, not one per core
        workers = REMOTE_IN_FLIGHT if store.kind == "remote" else os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(import_file, store, collection_id, f): f for f in files}
        for future in as_completed(futures):
            result = future.result()
            results[futures[future]] = result
            if on_result is not None:
                on_result(result)
    return [results[f] for f in files]
