"""Which uploads a server process takes on: how many per account and in all, on whose threads, and
only while the data volume has room.

An upload's store call runs in a thread that reads the body while it arrives, so a stalled upload
holds a thread. Without a cap, 41 stalled uploads took all 40 of the shared thread pool and froze
every route (issue 10). Here an upload first takes a slot, before a byte is read: an account with
``per_user`` uploads in flight gets 429 at once; past ``total`` in the process, an upload waits up
to QUEUE_SECONDS for a slot (a coroutine, no thread), then gets 503; both with Retry-After.
Store calls run on the uploads' own ``total`` threads (an anyio limiter), never on the pool that
listings, logins and /healthz use. Slots are per process, like the threads they protect. An upload
also needs room: see disk_space.py (507 below ``min_free`` bytes free).

Only the event loop touches the counters, so they need no lock beyond the asyncio Condition.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import anyio.to_thread

from server_api.core.errors import VaultError
from server_api.core.settings import Settings
from server_api.http.disk_space import MIB, check_room

R = TypeVar("R")
RETRY_AFTER_SECONDS = 2
QUEUE_SECONDS = 10.0  # honest uploads finish in moments: worth waiting for rather than failing


class UploadGate:
    def __init__(self, *, per_user: int, total: int, min_free: int = 0, idle_seconds: float = 30.0):
        self.per_user, self.total = per_user, total
        self.min_free = min_free
        self.idle_seconds = idle_seconds  # how long the store thread waits for the next chunk
        self._by_user: Counter = Counter()
        self._in_flight = 0
        self._threads = anyio.CapacityLimiter(total)
        self._freed: asyncio.Condition | None = None  # made on the loop, at first use

    @classmethod
    def from_settings(cls, config: Settings) -> UploadGate:
        return cls(per_user=config.uploads_per_user, total=config.uploads_total,
                   min_free=int(config.min_free_mb * MIB), idle_seconds=config.body_idle_timeout_s)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @asynccontextmanager
    async def admit(self, user_key: object, folder: Path, incoming: int) -> AsyncIterator[None]:
        """Hold one upload slot for ``user_key`` (an account id) for the block; 429/503/507 instead
        when the account or the process is at its cap, or ``incoming`` bytes would not fit."""
        self.check_room(folder, incoming)
        if self._by_user[user_key] >= self.per_user:
            raise VaultError("throttled", f"this account already has {self.per_user} uploads in flight; "
                             "wait for one to finish", retry_after=RETRY_AFTER_SECONDS)
        self._by_user[user_key] += 1  # a waiting upload counts against its account too
        try:
            await self._wait_for_room()
            self._in_flight += 1
            try:
                yield
            finally:
                self._in_flight -= 1
                async with self._freed:
                    self._freed.notify()
        finally:
            self._by_user[user_key] -= 1
            if not self._by_user[user_key]:
                del self._by_user[user_key]

    async def _wait_for_room(self) -> None:
        self._freed = self._freed or asyncio.Condition()
        try:
            async with self._freed:
                await asyncio.wait_for(self._freed.wait_for(lambda: self._in_flight < self.total),
                                       QUEUE_SECONDS)
        except TimeoutError:
            raise VaultError("unavailable", f"the server is receiving {self.total} uploads already; "
                             "try again shortly", retry_after=RETRY_AFTER_SECONDS) from None

    def check_room(self, folder: Path, incoming: int = 0) -> None:
        check_room(folder, incoming, self.min_free)

    async def run(self, call: Callable[..., R], *args) -> R:
        """``call(*args)`` on one of the uploads' own threads."""
        return await anyio.to_thread.run_sync(call, *args, limiter=self._threads)
