"""Many small files into a collection in one call: what a server's batch import route runs.

Each file is decided by THE import rule (store/import_decision.py) and answered on its own: a bad
file, a bad path or a wrong sha256 rejects that file alone. Each file carries its own idempotency
key, so a retried batch answers what the first attempt made instead of making second versions.
The files the rule says to store are analyzed one after another, their blobs made durable with one
flush for the batch and their rows written in one transaction (batch_import's ``land`` and
``write_rows``, the local batched import's own steps): no row before its blob is durable.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from server_api.content.hashes import check_sha256
from server_api.core.errors import VaultError
from server_api.store.entities import ImportResult
from server_api.store.import_decision import rejected, unexpected
from server_api.store.import_items import MAX_BATCH_FILES, ImportItem
from server_api.store.qa_rules import needs_pixels
from server_api.store.sql import import_lookup
from server_api.store.sql.access import collection_access
from server_api.store.sql.batch_import import Staged, land, write_rows
from server_api.store.sql.import_ops import earlier_import, unchanged_result
from server_api.store.sql.ingest import analyze_source, display_name
from server_api.store.sql.qa_ops import collection_rules
from server_api.store.sql.rows import check_original_path, scoped_upload_key


class ImportManyMixin:
    def import_many(self, collection_id: int, items: list[ImportItem]) -> list[ImportResult]:
        """A batch of small files, one verdict each (below)."""
        return import_many(self, collection_id, items)


def import_many(store, collection_id: int, items: list[ImportItem]) -> list[ImportResult]:
    """One verdict per item, in item order. Raises only for the whole call: no such collection,
    no read access, or more than MAX_BATCH_FILES items."""
    if len(items) > MAX_BATCH_FILES:
        raise VaultError("too_large", f"a batch carries at most {MAX_BATCH_FILES} files, not {len(items)}")
    me = store._me()
    results: dict[int, ImportResult] = {}
    valid = _checked(me, items, results)
    with store._read() as s:
        collection_access(s, me, collection_id, "read")
        decided = import_lookup.decisions(s, me, collection_id,
                                          [(items[i].original_path, items[i].sha256) for i in valid])
        earlier = {i: earlier_import(s, me, items[i].upload_key, collection_id,
                                     decided[items[i].original_path]) for i in valid}
    to_store = []
    for i in valid:
        path, decision = items[i].original_path, decided[items[i].original_path]
        if earlier[i]:  # a retry of a file that landed: answered as the first attempt was
            results[i] = store._import_result(path, *earlier[i])
        elif decision.action == "unchanged":
            results[i] = unchanged_result(path, decision)
        else:
            to_store.append(i)
    staged = _analyzed(store, me, collection_id, items, to_store, results)
    index_of = {items[i].original_path: i for i in to_store}  # paths are unique in a batch
    for result in write_rows(store, me, collection_id, land(store, staged)):
        results[index_of[result.path]] = result
    return [results[i] for i in range(len(items))]


def _checked(me, items: list[ImportItem], results: dict[int, ImportResult]) -> list[int]:
    """Indexes of the items whose fields are sound; the others get their rejection now."""
    valid, seen = [], set()
    for i, item in enumerate(items):
        try:
            check_original_path(item.original_path)
            check_sha256(item.sha256)
            scoped_upload_key(item.upload_key, me, "")  # a bad key is this file's problem alone
            display_name(item.original_path, item.name)
            if item.original_path in seen:
                raise VaultError("invalid_argument", f"{item.original_path} is named twice in one batch")
        except VaultError as exc:
            results[i] = rejected(item.original_path, exc)
            continue
        seen.add(item.original_path)
        valid.append(i)
    return valid


def _analyzed(store, me, collection_id: int, items: list[ImportItem], indexes: list[int],
              results: dict[int, ImportResult]) -> list[Staged]:
    """Bytes staged (their claimed sha256 checked) and analyzed; a refused file gets its verdict."""
    if not indexes:
        return []
    try:
        with store._read() as s:
            collection_access(s, me, collection_id, "write")
            rules = collection_rules(s, collection_id)  # pixel rules: facts read while decoding
    except VaultError as exc:  # a reader may re-import what is there ("unchanged"), not add
        results.update({i: rejected(items[i].original_path, exc) for i in indexes})
        return []
    def analyzed(i: int) -> Staged | ImportResult:
        item = items[i]
        try:
            name = display_name(item.original_path, item.name)
            analyzed = analyze_source(store, item.stream(), name, None, pixel_facts=needs_pixels(rules))
            return Staged(item.original_path, analyzed, item.name, item.upload_key)
        except (VaultError, OSError) as exc:
            return rejected(item.original_path, exc)
        except Exception as exc:  # noqa: BLE001 - a bug, not a bad file: logged; the rest goes on
            return unexpected(item.original_path, exc)

    # A few at once: a lone batch (the upload pane sends one at a time) still uses every core.
    with ThreadPoolExecutor(max_workers=min(len(indexes), os.cpu_count() or 2)) as pool:
        outcomes = list(pool.map(analyzed, indexes))
    results.update({i: outcome for i, outcome in zip(indexes, outcomes, strict=True)
                    if isinstance(outcome, ImportResult)})
    return [outcome for outcome in outcomes if isinstance(outcome, Staged)]
