"""Import through ``VaultStore.import_many``: small files travel in batches (one request to a server
for up to MAX_BATCH_FILES files), big files alone through ``import_file`` (streamed). What `vault
import` to a server runs, and what the desktop's upload pane runs for its prepared files.

Each file's bytes are read once, here: hashed as they are read, and sent with that sha256, so a file
that changes meanwhile is "damaged in transit" on the server, never stored under a wrong hash. Each
file gets its own idempotency key; a batch that is retried (connection lost, 429, 503) answers what
the first attempt made. A failure of the whole request becomes every file's verdict in that batch.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed

from server_api.content.local_file import check_local_file, open_local_file
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import ImportResult
from server_api.store.import_decision import rejected, unexpected
from server_api.store.import_items import MAX_BATCH_BYTES, MAX_BATCH_FILES, MAX_BATCHED_FILE, ImportItem

IN_FLIGHT = 4  # requests at once: a server's default per-account upload cap (VAULT_UPLOADS_PER_USER)


def import_in_batches(store: VaultStore, collection_id: int, files: list[str],
                      import_one: Callable[[str], ImportResult], *, in_flight: int | None = None,
                      on_result: Callable[[ImportResult], None] | None = None) -> list[ImportResult]:
    """Every file of ``files`` (absolute paths, no repeats) into the collection; results in file
    order, ``on_result`` as each batch is answered (from the calling thread). ``import_one`` sends
    a big file alone, streamed (workflows/importing.import_file, handed down: it calls us)."""

    results: dict[str, ImportResult] = {}

    def send(group: list[str] | str | ImportResult) -> list[ImportResult]:
        if isinstance(group, ImportResult):
            return [group]
        if isinstance(group, str):  # a big file: alone, streamed
            return [import_one(group)]
        return send_batch(store, collection_id, [(path, None) for path in group])

    with ThreadPoolExecutor(max_workers=in_flight or IN_FLIGHT, thread_name_prefix="import-send") as pool:
        for done in as_completed([pool.submit(send, group) for group in _groups(files)]):
            for result in done.result():
                results[result.path] = result
                if on_result is not None:
                    on_result(result)
    return [results[f] for f in files]


def _groups(files: list[str]) -> Iterator[list[str] | str | ImportResult]:
    """Batches of small files (at most MAX_BATCH_FILES and MAX_BATCH_BYTES each); a big file alone
    (its path); a file that cannot be read at all as its verdict already."""
    batch: list[str] = []
    batch_bytes = 0
    for path in files:
        try:
            size = check_local_file(path)
        except (VaultError, OSError) as exc:
            yield rejected(path, exc)
            continue
        if size > MAX_BATCHED_FILE:
            yield path
            continue
        if batch and (len(batch) == MAX_BATCH_FILES or batch_bytes + size > MAX_BATCH_BYTES):
            yield batch
            batch, batch_bytes = [], 0
        batch.append(path)
        batch_bytes += size
    if batch:
        yield batch


def send_batch(store: VaultStore, collection_id: int, files: list[tuple[str, str | None]], *,
               raise_request_errors: bool = False) -> list[ImportResult]:
    """Small files (path, idempotency key or None for a new one) in ONE ``import_many`` call: a
    verdict per file, in order. The upload pane sends its prepared files through this too, with
    ``raise_request_errors``: a request refused as a whole (no permission, the server gone) is not a
    verdict on the files, so it raises and each row says why and can be retried."""
    items: list[ImportItem] = []
    verdicts: dict[str, ImportResult] = {}
    paths = [path for path, _key in files]
    for path, key in files:
        try:
            items.append(_read(path, key))
        except (VaultError, OSError) as exc:
            verdicts[path] = rejected(path, exc)
    if items:
        try:
            answered = store.import_many(collection_id, items)
        except VaultError as exc:  # the request as a whole failed: every file of it says why
            if raise_request_errors:
                raise
            answered = [rejected(item.original_path, exc) for item in items]
        except Exception as exc:  # noqa: BLE001 - a bug, not a bad file: logged; the other batches go on
            answered = [unexpected(item.original_path, exc) for item in items]
        verdicts.update((item.original_path, result) for item, result in zip(items, answered, strict=True))
    return [verdicts[path] for path in paths]


def _read(path: str, upload_key: str | None) -> ImportItem:
    """The file's bytes, read once, and their sha256 (a file that grew past the batch limit since
    it was listed is refused rather than read whole)."""
    with open_local_file(path) as f:
        data = f.read(MAX_BATCHED_FILE + 1)
    if len(data) > MAX_BATCHED_FILE:
        raise VaultError("conflict", f"{os.path.basename(path)}: the file grew while it was imported; "
                         "import it again")
    return ImportItem(original_path=path, sha256=hashlib.sha256(data).hexdigest(), data=data,
                      upload_key=upload_key or f"import-{uuid.uuid4().hex}")
