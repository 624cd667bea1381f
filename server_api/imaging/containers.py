"""Refuse PNG chunks and TIFF tags that a decoder would read whole into memory, before it opens them.

Pillow reads every PNG chunk other than pixel data (IDAT, fdAT) completely, and keeps unknown
"private" ones; it reads every TIFF tag's data completely too. One 300 MiB unknown PNG chunk cost
the server +536 MB (issue 10). ``check_chunks`` walks the file's structure by seeking (it never
reads the data) and refuses, as "too_large" naming the chunk or tag, anything over the limit
(``Settings.max_image_chunk_mb``, VAULT_MAX_IMAGE_CHUNK_MB). Other formats pass untouched.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from server_api.core.errors import VaultError

MIB = 1 << 20
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PIXEL_CHUNKS = {b"IDAT", b"fdAT"}  # streamed by the decoder, never held whole
MAX_PNG_CHUNKS = 1_000_000  # walking more costs seconds of CPU: no real image has that many
MAX_TIFF_IFDS = 1024
# TIFF field type -> bytes per value (TIFF 6.0 and BigTIFF).
_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
                    16: 8, 17: 8, 18: 8}

_limit: int | None = None


def configure(limit_bytes: int) -> None:
    """Set the limit (entry points with their Settings, tests); default: the process's settings."""
    global _limit
    _limit = limit_bytes


def chunk_limit() -> int:
    if _limit is None:
        from server_api.core.settings import settings

        configure(int(settings().max_image_chunk_mb * MIB))
    return _limit


def check_chunks(path: str | os.PathLike[str], label: str) -> None:
    """"too_large" when a PNG chunk or TIFF tag of the file at ``path`` is over the limit."""
    with open(path, "rb") as f:
        head = f.read(8)
        f.seek(0)
        if head == PNG_SIGNATURE:
            _check_png(f, label, chunk_limit())
        elif head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
            _check_tiff(f, label, chunk_limit())


def _too_large(label: str, what: str, size: int, limit: int) -> VaultError:
    return VaultError("too_large", f"{label}: {what} holds {size // MIB} MiB, over the limit of "
                      f"{limit // MIB} MiB for one chunk (VAULT_MAX_IMAGE_CHUNK_MB)")


def _check_png(f: BinaryIO, label: str, limit: int) -> None:
    f.seek(8)
    for _ in range(MAX_PNG_CHUNKS):
        header = f.read(8)
        if len(header) < 8:
            return  # the end (a truncated file is the decoder's verdict to give)
        length, kind = struct.unpack(">I4s", header)
        if kind not in PIXEL_CHUNKS and length > limit:
            name = kind.decode("latin-1")
            raise _too_large(label, f"the PNG chunk {name!r}", length, limit)
        if kind == b"IEND":
            return
        f.seek(length + 4, os.SEEK_CUR)  # the data and its CRC
    raise VaultError("too_large", f"{label}: over {MAX_PNG_CHUNKS} PNG chunks")


def _check_tiff(f: BinaryIO, label: str, limit: int) -> None:
    order = "<" if f.read(2) == b"II" else ">"
    big = struct.unpack(order + "H", f.read(2))[0] == 43
    if big:
        f.read(4)  # offset size (8) and padding
    offset_format, count_format, entry_size = ("Q", "Q", 20) if big else ("I", "H", 12)
    offset_size, count_size = struct.calcsize(offset_format), struct.calcsize(count_format)
    raw = f.read(offset_size)
    offset = struct.unpack(order + offset_format, raw)[0] if len(raw) == offset_size else 0
    seen: set[int] = set()
    while offset and offset not in seen and len(seen) < MAX_TIFF_IFDS:
        seen.add(offset)
        f.seek(offset)
        raw = f.read(count_size)
        if len(raw) < count_size:
            return
        entries = struct.unpack(order + count_format, raw)[0]
        if entries > 65535:
            raise VaultError("too_large", f"{label}: a TIFF directory claims {entries} tags")
        table = f.read(entries * entry_size)
        for i in range(len(table) // entry_size):
            entry = table[i * entry_size:(i + 1) * entry_size]
            tag, kind = struct.unpack(order + "HH", entry[:4])
            count = struct.unpack(order + offset_format, entry[4:4 + offset_size])[0]
            size = count * _TIFF_TYPE_SIZES.get(kind, 1)
            if size > limit:
                raise _too_large(label, f"the TIFF tag {tag}", size, limit)
        raw = f.read(offset_size)
        offset = struct.unpack(order + offset_format, raw)[0] if len(raw) == offset_size else 0
