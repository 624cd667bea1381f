"""A bounded hand-over of upload bytes from the event loop to a store call in a worker thread.

The store reads the upload as a stream while it is still arriving, so receiving and storing overlap
(one copy, not two) and memory stays bounded: at most DEPTH chunks wait in between. At the end of
the body the pipe exposes the sha256 the client sent as ``claimed_sha256``; the blob store, which
hashes the bytes as it copies them, checks it before anything is kept (one hash, not two). When the
form said the sha256 before the file, ``claimed_sha256`` holds it from the start: an object store
can then write the bytes under their final key while they arrive (content/s3.py).
"""

from __future__ import annotations

import asyncio
import io
import queue
from dataclasses import dataclass

from server_api.core.errors import VaultError

DEPTH = 32  # socket reads of up to 256 KiB each: at most ~8 MiB in flight per upload


@dataclass(frozen=True)
class _End:
    expected_sha256: str | None  # what the client says it sent; None when it did not say


class BodyPipe(io.RawIOBase):
    """Read side for the worker thread (a file-like object); ``feed``/``close_with`` for the loop."""

    def __init__(self, wait_seconds: float = 600.0, announced_sha256: str | None = None):
        super().__init__()
        self.wait_seconds = wait_seconds  # the longest the reader waits for the next chunk
        self._queue: queue.Queue = queue.Queue(maxsize=DEPTH)
        self._pending = memoryview(b"")
        self._ended = False
        # What the sender says the bytes hash to: said before the file (or None), then what the
        # body's end says; checked by the blob store.
        self.claimed_sha256: str | None = announced_sha256

    # ---- the worker thread's side ---------------------------------------------------------------
    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        """Fill ``buffer`` with what has arrived (waiting for at least one byte); 0 at the end."""
        filled = 0
        while filled < len(buffer):
            if not self._pending:
                if self._ended:
                    break
                item = self._next_or_wait() if filled == 0 else self._next_or_none()
                if item is None:
                    break
                if isinstance(item, _End):
                    self._ended = True
                    self.claimed_sha256 = item.expected_sha256
                    break
                if isinstance(item, BaseException):
                    self._ended = True
                    raise item
                self._pending = memoryview(item)
            n = min(len(buffer) - filled, len(self._pending))
            buffer[filled:filled + n] = self._pending[:n]
            self._pending = self._pending[n:]
            filled += n
        return filled

    def _next_or_wait(self):
        # Never parked for good: the event loop cuts a stalled body off well before this.
        try:
            return self._queue.get(timeout=self.wait_seconds)
        except queue.Empty:
            self._ended = True
            raise VaultError("request_timeout", f"no upload data for {self.wait_seconds:g} s") from None

    def _next_or_none(self):
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    # ---- the event loop's side ------------------------------------------------------------------
    async def feed(self, item, reader: asyncio.Future) -> bool:
        """Queue bytes (or _EOF, or an exception to raise in the reader). Waits while the queue is
        full; gives up (False) when the reader has already finished and will never take it."""
        pause = 0.001
        while True:
            try:
                self._queue.put_nowait(item)
                return True
            except queue.Full:
                if reader.done():
                    return False
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.005)  # a slow store must not make the loop spin

    async def finish(self, reader: asyncio.Future, expected_sha256: str | None) -> bool:
        """The end of the file; the reader checks the bytes against ``expected_sha256`` first."""
        return await self.feed(_End(expected_sha256), reader)
