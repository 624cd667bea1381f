"""Which uploads a server process takes on: how many per account and in all, on whose threads, and
only while the data volume has room.

An upload's store call runs in a thread that reads the body while it arrives, so a stalled upload
holds a thread. Without a cap, 41 stalled uploads took all 40 of the shared thread pool and froze
every route (issue 10). Here an upload first takes a slot: an account with ``per_user`` uploads in
flight gets 429, a process with ``total`` gets 503, both with Retry-After, before a byte is read.
Store calls run on the uploads' own ``total`` threads (an anyio limiter), never on the pool that
listings, logins and /healthz use. Slots are per process, like the threads they protect. An upload
also needs room: see disk_space.py (507 below ``min_free`` bytes free).

Only the event loop touches the counters, so they need no lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import anyio.to_thread

from server_api.core.errors import VaultError
from server_api.core.settings import Settings
from server_api.http.disk_space import MIB, check_room

R = TypeVar("R")
RETRY_AFTER_SECONDS = 2


class UploadGate:
    def __init__(self, *, per_user: int, total: int, min_free: int = 0, idle_seconds: float = 30.0):
        self.per_user, self.total = per_user, total
        self.min_free = min_free
        self.idle_seconds = idle_seconds  # how long the store thread waits for the next chunk
        self._by_user: Counter = Counter()
        self._in_flight = 0
        self._threads = anyio.CapacityLimiter(total)

    @classmethod
    def from_settings(cls, config: Settings) -> UploadGate:
        return cls(per_user=config.uploads_per_user, total=config.uploads_total,
                   min_free=int(config.min_free_mb * MIB), idle_seconds=config.body_idle_timeout_s)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @contextmanager
    def admit(self, user_key: object, folder: Path, incoming: int) -> Iterator[None]:
        """Hold one upload slot for ``user_key`` (an account id) for the block; 429/503/507 instead
        when the account or the process is at its cap, or ``incoming`` bytes would not fit."""
        self.check_room(folder, incoming)
        if self._by_user[user_key] >= self.per_user:
            raise VaultError("throttled", f"this account already has {self.per_user} uploads in flight; "
                             "wait for one to finish", retry_after=RETRY_AFTER_SECONDS)
        if self._in_flight >= self.total:
            raise VaultError("unavailable", f"the server is receiving {self.total} uploads already; "
                             "try again shortly", retry_after=RETRY_AFTER_SECONDS)
        self._by_user[user_key] += 1
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._by_user[user_key] -= 1
            if not self._by_user[user_key]:
                del self._by_user[user_key]

    def check_room(self, folder: Path, incoming: int = 0) -> None:
        check_room(folder, incoming, self.min_free)

    async def run(self, call: Callable[..., R], *args) -> R:
        """``call(*args)`` on one of the uploads' own threads."""
        return await anyio.to_thread.run_sync(call, *args, limiter=self._threads)
