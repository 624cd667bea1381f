"""Byte ranges of stored bytes: checking one against a size (one rule for every store and face) and
reading at most so many bytes of an open stream."""

from __future__ import annotations

from typing import BinaryIO

from server_api.core.errors import RangeNotSatisfiable, VaultError


def resolve_range(start: int, length: int | None, size: int, what: str) -> tuple[int, int]:
    """(offset, byte count) of ``length`` bytes (None: to the end; fewer at the end) from ``start``
    of ``size`` bytes; a negative ``start`` means the last -start bytes (all of them when fewer),
    as HTTP's ``bytes=-N``. A start at or past the end: RangeNotSatisfiable (only start 0 of an
    empty file, the whole of it, is not past its end)."""
    check_length(length, what)
    if start < 0:
        start = max(0, size + start)
    elif start >= size and not (start == 0 and size == 0):
        raise RangeNotSatisfiable(f"bytes from {start} are past the end of {what} ({size} bytes)", size)
    return start, (size - start if length is None else min(length, size - start))


def check_length(length: int | None, what: str) -> None:
    if length is not None and length < 1:
        raise VaultError("invalid_argument", f"a byte range of {what} is at least 1 byte long, not {length}")


def check_range(sha256: str, start: int, length: int, size: int) -> None:
    """ContentStore.open_range's rule: "invalid_argument" for a range outside the blob."""
    if start < 0 or length < 0 or (start >= size and not (start == 0 and size == 0)):
        raise VaultError("invalid_argument", f"bytes {start}+{length} are outside blob {sha256} "
                         f"({size} bytes)")


class Limited:
    """At most ``left`` bytes of an open stream, then end of file; closes the stream."""

    def __init__(self, stream: BinaryIO, left: int):
        self._stream, self._left = stream, left

    def read(self, n: int = -1) -> bytes:
        n = self._left if n is None or n < 0 else min(n, self._left)
        data = self._stream.read(n)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_file_range(path, start: int, length: int) -> BinaryIO:
    """``length`` bytes of a local file from ``start``, as a stream the caller closes."""
    stream = open(path, "rb")  # noqa: SIM115 - the caller closes the Limited, which closes this
    stream.seek(start)
    return Limited(stream, length)  # type: ignore[return-value]
