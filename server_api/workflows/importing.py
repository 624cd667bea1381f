"""Import files into a collection: the same workflow on every face of the store.

``import_file`` decides per file: a new texture ("added"), a new version of the texture that was
imported from the same path ("new_version", when the bytes differ), "unchanged" (same bytes), or
"rejected" (the VaultError message names the file and the reason). Only interface calls are used, so
it works on the local vault and through a server alike. ``import_paths`` expands folders and runs
files on a thread pool: Pillow and hashing release the GIL, so threads scale on all cores. A store
with an ``import_batch`` method (the SQL vault) gets the whole list instead and writes rows in
batches (server_api/store/sql/batch_import.py), with the same statuses and messages.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from server_api.content.source import Progress
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import ImportResult, Texture, Version


def original_path_of(path: str | os.PathLike[str]) -> str:
    """The absolute, resolved path remembered as a texture's original path (where publish writes)."""
    return str(Path(path).expanduser().resolve())


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files as given, folders walked recursively in name order; hidden files and folders skipped.
    Paths that do not exist stay in the list, so the import reports them as rejected."""
    files: list[str] = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.is_dir():
            files.append(original_path_of(path))
            continue
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            files.extend(original_path_of(Path(folder) / n) for n in sorted(names) if not n.startswith("."))
    return list(dict.fromkeys(files))  # a file named twice (or via two folders) imports once


def import_file(
    store: VaultStore, collection_id: int, path: str | os.PathLike[str], progress: Progress | None = None
) -> ImportResult:
    original = original_path_of(path)
    try:
        if not os.path.isfile(original):
            raise missing_file(original)
        existing = store.find_texture(collection_id, original_path=original)
        if existing is None:
            try:
                texture = store.add_texture(
                    collection_id, original, original_path=original, progress=progress
                )
                return _result(original, "added", texture.id, texture.current)
            except VaultError as exc:
                if exc.code != "conflict":
                    raise
                # Another worker imported the same path a moment ago: continue as a version.
                existing = store.find_texture(collection_id, original_path=original)
                if existing is None:
                    raise
        return _import_version(store, existing, original, progress)
    except (VaultError, OSError) as exc:
        return rejected(original, exc)


def missing_file(path: str) -> VaultError:
    reason = "is a folder" if os.path.isdir(path) else "no such file"
    return VaultError("not_found", f"{os.path.basename(path)}: {reason}")


def rejected(path: str, exc: VaultError | OSError) -> ImportResult:
    """A "rejected" result whose error names the file and the reason."""
    if isinstance(exc, VaultError):
        reason = exc.message
    else:
        reason = f"{os.path.basename(path)}: {exc.strerror or exc}"
    return ImportResult(path=path, status="rejected", error=reason)


def _import_version(store: VaultStore, texture: Texture, original: str, progress) -> ImportResult:
    if file_sha256(original) == texture.current.sha256:
        return _result(original, "unchanged", texture.id, texture.current)
    version = store.add_version(texture.id, original, progress=progress)
    return _result(original, "new_version", texture.id, version)


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
        return import_batch(collection_id, files, workers=workers, on_result=on_result)
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
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        futures = {pool.submit(import_file, store, collection_id, f): f for f in files}
        for future in as_completed(futures):
            result = future.result()
            results[futures[future]] = result
            if on_result is not None:
                on_result(result)
    return [results[f] for f in files]


def file_sha256(path: str | os.PathLike[str]) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _result(path: str, status: str, texture_id: int, version: Version) -> ImportResult:
    return ImportResult(
        path=path, status=status, texture_id=texture_id, version=version.number,
        format=version.format, width=version.width, height=version.height,
    )
