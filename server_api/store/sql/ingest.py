"""Bringing bytes into the vault, outside any database transaction.

Order (so a row never points at bytes that are not durable, and a rejected file leaves nothing):
stage (copy + hash into a local temp file) → analyze the temp file (metadata + thumbnail, one Pillow
open) → commit the bytes to the content store → store the thumbnail. Only then does the caller
write rows.
Bytes the vault already holds skip Pillow: their metadata is read from an existing version row.
``ingest`` does it all; the batched import runs the CPU half (``analyze_source``) on worker threads
and the durable half for a whole batch at once (``commit_all``: one flush, not two per file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from server_api.content.source import Progress, Source
from server_api.content.store import THUMBNAIL, StagedContent
from server_api.core.errors import VaultError
from server_api.imaging.colour import stored_space
from server_api.store.entities import ImageInfo, Version
from server_api.store.limits import MAX_TEXTURE_NAME
from server_api.store.sql.convert import V

if TYPE_CHECKING:  # Pillow loads on the first import, not when the store opens
    from server_api.imaging.pixel_facts import PixelFacts
    from server_api.imaging.thumbnails import Thumbnail

DEFAULT_MAX_UPLOAD_BYTES = 4 << 30  # 4 GiB: bigger than any texture we expect, small enough to matter


@dataclass(frozen=True)
class Ingested:
    sha256: str
    byte_size: int
    info: ImageInfo
    # The QA pixel facts, when the analysis read them from its own decode (``facts_read``): None
    # then means "cannot be checked" (EXR, over the budget). Unread, qa_ops decodes the stored bytes.
    facts: PixelFacts | None = None
    facts_read: bool = False

    def version(self, version_id: int, texture_id: int, number: int, note: str, created_by: str,
                created_at: datetime, is_current: bool) -> Version:
        """The Version entity of a row just inserted from these bytes (no reload needed)."""
        info = self.info
        return Version(
            id=version_id, texture_id=texture_id, number=number, sha256=self.sha256,
            byte_size=self.byte_size, format=info.format, width=info.width, height=info.height,
            mode=info.mode, bit_depth=info.bit_depth, has_alpha=info.has_alpha, has_icc=info.has_icc,
            orientation=info.orientation, note=note, created_by=created_by, created_at=created_at,
            is_current=is_current, published_at=None, colour_space=info.colour_space,
        )


def display_name(original_path: str, name: str | None) -> str:
    """The name shown in the grid: the caller's, or the last part of the original path."""
    if name and name.strip():
        label = name.strip()
    else:
        label = original_path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or "untitled"
    if len(label) > MAX_TEXTURE_NAME or any(ord(c) < 32 for c in label):
        raise VaultError("invalid_argument", f"texture name {label[:40]!r} must be at most "
                         f"{MAX_TEXTURE_NAME} printable characters")
    return label


def known_info(s, sha256: str) -> ImageInfo | None:
    """Metadata of bytes already in the vault, from any version holding them."""
    row = s.execute(
        select(V.c.format, V.c.width, V.c.height, V.c.mode, V.c.bit_depth, V.c.has_alpha, V.c.has_icc,
               V.c.orientation, V.c.colour_space).where(V.c.blob_sha256 == sha256).limit(1)
    ).first()
    if row is None:
        return None
    return ImageInfo(format=row.format, width=row.width, height=row.height, mode=row.mode,
                     bit_depth=row.bit_depth, has_alpha=bool(row.has_alpha), has_icc=bool(row.has_icc),
                     orientation=row.orientation, colour_space=row.colour_space)


def ingest(store, source: Source, name: str, progress: Progress | None, *, pixel_facts: bool = False
           ) -> Ingested:
    """Put ``source`` into the content store (with its thumbnail) and say what it is; with
    ``pixel_facts`` (the collection has QA rules that read pixels) also what its pixels say.

    Raises VaultError "unsupported_media"/"too_large" (and nothing is kept) for bytes we refuse.
    """
    analyzed = analyze_source(store, source, name, progress, pixel_facts=pixel_facts)
    with analyzed.staged:  # discards the temp file if the commit fails
        return analyzed.commit(store)


@dataclass(frozen=True)
class Analyzed:
    """Bytes staged and understood, not yet in the content store: ``commit`` (or ``staged.discard``)."""

    staged: StagedContent
    info: ImageInfo
    thumb: Thumbnail | None  # None when the vault already holds these bytes and their thumbnail
    facts: PixelFacts | None = None  # as Ingested's
    facts_read: bool = False

    def commit(self, store) -> Ingested:
        """The durable half (fsync + rename, or the upload; thumbnail): mostly waiting on disk or network."""
        self.staged.commit()
        if self.thumb is not None:  # every version gets its thumbnail, whatever its size
            store.content.put_derived(self.staged.sha256, THUMBNAIL, self.thumb.data, self.thumb.format)
        return self.ingested()

    def ingested(self) -> Ingested:
        return Ingested(self.staged.sha256, self.staged.size, self.info, self.facts, self.facts_read)


def commit_all(store, analyzed: list[Analyzed]) -> list[Ingested | Exception]:
    """``Analyzed.commit`` for a batch, sharing the flushes (ContentStore.commit_many): per file its
    Ingested, or what went wrong with it alone (its temp file is gone either way)."""
    outcomes = store.content.commit_many([item.staged for item in analyzed])
    landed: list[Ingested | Exception] = []
    for item, failed in zip(analyzed, outcomes, strict=True):
        if failed is not None:
            item.staged.discard()
            landed.append(failed)
            continue
        try:
            if item.thumb is not None:
                store.content.put_derived(item.staged.sha256, THUMBNAIL, item.thumb.data, item.thumb.format)
        except OSError as exc:  # no row without its thumbnail; the blob waits for gc or a retry
            landed.append(exc)
            continue
        landed.append(item.ingested())
    return landed


def analyze_source(store, source: Source, name: str, progress: Progress | None, *,
                   pixel_facts: bool = False) -> Analyzed:
    """The CPU half: copy + hash into a local temp file, then metadata and thumbnail (or known metadata);
    with ``pixel_facts``, the QA pixel facts from the same decode (imaging.analyze_with_facts)."""
    from server_api import imaging

    staged = store.content.stage(source, progress=progress, max_bytes=store.max_upload_bytes)
    try:
        info = None
        if store.content.exists(staged.sha256) and store.content.has_derived(staged.sha256, THUMBNAIL):
            with store._read() as s:
                info = known_info(s, staged.sha256)
        facts, facts_read = None, False
        if info is None and pixel_facts:
            info, thumb, facts = imaging.analyze_with_facts(staged.temp_path, name=name)
            facts_read = True
        elif info is None:
            info, thumb = imaging.analyze(staged.temp_path, name=name)
        else:
            thumb = None
        # A header that names no colour space: the map role in the name decides (imaging/colour.py).
        info = replace(info, colour_space=stored_space(info.colour_space, name))
        return Analyzed(staged, info, thumb, facts, facts_read)
    except BaseException:
        staged.discard()  # a refused file leaves nothing behind
        raise


def facts_read(data: list[Ingested]) -> dict[str, PixelFacts | None]:
    """sha256 -> the pixel facts the analysis already read (for qa_ops.import_facts)."""
    return {d.sha256: d.facts for d in data if d.facts_read}


def source_label(source: Source, fallback: str) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.path.basename(os.fspath(source)) or fallback
    return fallback
