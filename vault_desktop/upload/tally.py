"""Running totals of the upload queue, kept on every row change, so the summary line costs O(1)
however many files are queued (it is drawn ten times a second)."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from .rows import FAILED, REJECTED, UploadRow

RATE_WINDOW_S = 3.0  # the speed shown is the recent one, not the whole batch's average


@dataclass(frozen=True)
class QueueStats:
    files: int
    finished: int
    failed: int  # rejected or failed: they need the user's attention
    retryable: int  # failed or cancelled, or rejected and the file changed since
    bytes_total: int
    bytes_done: float
    bytes_per_second: float
    files_per_second: float
    seconds_left: float | None  # None until the rate is known

    @property
    def fraction(self) -> float:
        if not self.files:
            return 0.0  # nothing queued is not "all done": the bar stays empty
        return self.bytes_done / self.bytes_total if self.bytes_total else 1.0


class Tally:
    def __init__(self) -> None:
        self.files = self.finished = self.failed = self.retryable = self.bytes_total = 0
        self.bytes_done = 0.0
        self._samples: deque[tuple[float, float, int]] = deque()  # (time, bytes done, finished)

    def add(self, row: UploadRow) -> None:
        self._count(row, +1)

    def remove(self, row: UploadRow) -> None:
        self._count(row, -1)

    def change(self, row: UploadRow, **fields) -> None:
        """Set ``fields`` (state, fraction, size, …) on ``row`` and keep the totals right."""
        self._count(row, -1)
        for name, value in fields.items():
            setattr(row, name, value)
        self._count(row, +1)

    def _count(self, row: UploadRow, sign: int) -> None:
        self.files += sign
        self.bytes_total += sign * row.size
        self.bytes_done += sign * row.size * (1.0 if row.finished else row.fraction)
        self.finished += sign * row.finished
        self.failed += sign * (row.state in (REJECTED, FAILED))
        self.retryable += sign * row.retryable

    def stats(self) -> QueueStats:
        now = time.monotonic()
        self._samples.append((now, self.bytes_done, self.finished))
        while len(self._samples) > 2 and now - self._samples[0][0] > RATE_WINDOW_S:
            self._samples.popleft()
        t0, b0, f0 = self._samples[0]
        span = now - t0
        bps = max(0.0, (self.bytes_done - b0) / span) if span > 0.2 else 0.0
        fps = max(0.0, (self.finished - f0) / span) if span > 0.2 else 0.0
        left = (self.bytes_total - self.bytes_done) / bps if bps > 0 else None
        return QueueStats(self.files, self.finished, self.failed, self.retryable,
                          self.bytes_total, self.bytes_done, bps, fps, left)
