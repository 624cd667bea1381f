"""Many textures in a few statements: for tests, benchmarks and migrations, not the import path.

Every texture gets version 1 holding the same shared source bytes (stored once). Each item may
claim its own metadata (format, size, alpha, bit depth ...) so a grid or a filter can be exercised
with 100k rows in seconds; those rows then describe bytes they do not hold, which is the point of
a fixture and why the import path never uses this.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, update

from server_api.content.source import Source
from server_api.store.entities import ImageInfo
from server_api.store.sql import fingerprint_rows
from server_api.store.sql.access import collection_access
from server_api.store.sql.convert import T, V, now
from server_api.store.sql.ingest import display_name, ingest
from server_api.store.sql.qa_ops import check_versions
from server_api.store.sql.rows import check_original_path


@dataclass(frozen=True)
class BulkTexture:
    original_path: str
    name: str | None = None  # default: the file name in original_path
    info: ImageInfo | None = None  # default: the shared source's real metadata
    byte_size: int | None = None  # default: the shared source's size


def bulk_add(store, collection_id: int, items: Iterable[BulkTexture], source: Source,
             *, batch_size: int = 2000) -> list[int]:
    """Insert textures (Core executemany, ``batch_size`` per transaction); their ids in item order."""
    me = store._me()
    with store._read() as s:
        collection_access(s, me, collection_id, "write")
    shared = ingest(store, source, "bulk source", None)
    ids: list[int] = []
    batch: list[BulkTexture] = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            ids += _insert_batch(store, me, collection_id, batch, shared)
            batch = []
    if batch:
        ids += _insert_batch(store, me, collection_id, batch, shared)
    return ids


def _insert_batch(store, me, collection_id, batch, shared) -> list[int]:
    when = now()
    textures = []
    for item in batch:
        name = display_name(check_original_path(item.original_path), item.name)
        textures.append(dict(collection_id=collection_id, name=name, name_key=name.lower(),
                             original_path=item.original_path, created_at=when, updated_at=when))
    with store.session() as s:
        collection_access(s, me, collection_id, "write")
        texture_ids = s.execute(
            insert(T).returning(T.c.id, sort_by_parameter_order=True), textures
        ).scalars().all()
        versions = []
        for texture_id, item in zip(texture_ids, batch, strict=True):
            info = item.info or shared.info
            versions.append(dict(
                texture_id=texture_id, number=1, blob_sha256=shared.sha256,
                byte_size=item.byte_size if item.byte_size is not None else shared.byte_size,
                format=info.format, width=info.width, height=info.height, mode=info.mode,
                bit_depth=info.bit_depth, has_alpha=info.has_alpha, has_icc=info.has_icc,
                colour_space=info.colour_space,
                orientation=info.orientation, note="", created_by_id=me.id, created_at=when,
                upload_key=None, published_at=None,
            ))
        version_ids = s.execute(
            insert(V).returning(V.c.id, sort_by_parameter_order=True), versions
        ).scalars().all()
        fingerprint_rows.keep(s, [(shared.sha256, shared.info.fingerprint)])
        s.execute(
            update(T).where(T.c.id == bindparam("tid")).values(current_version_id=bindparam("vid")),
            [{"tid": t, "vid": v} for t, v in zip(texture_ids, version_ids, strict=True)],
        )
        check_versions(store, s, collection_id, version_ids)  # the collection's QA rules, if any
    return list(texture_ids)
