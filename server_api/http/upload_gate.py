"""Which uploads a server process takes on: how many per account (across every server instance) and
in all (per process), on whose threads, and only while the data volume has room.

An upload's store call runs in a thread that reads the body while it arrives, so a stalled upload
holds a thread. Without a cap, 41 stalled uploads took all 40 of the shared thread pool and froze
every route (issue 10). Here an upload first takes a slot, before a byte is read: an account with
``per_user`` uploads in flight gets 429 at once; past ``total`` in the process, an upload waits up
to QUEUE_SECONDS for a slot (a coroutine, no thread), then gets 503; both with Retry-After.
Store calls run on the uploads' own ``total`` threads (an anyio limiter), never on the pool that
listings, logins and /healthz use. An upload also needs room: see disk_space.py (507 below
``min_free`` bytes free).

The account's slots are leases in the database (ServerStore.take_upload_lease), so two instances
behind one proxy still give an account ``per_user`` uploads, not twice that; the lease is renewed
while the upload runs and lapses LEASE_SECONDS after an instance dies. The ``total`` slots guard
this process's own threads, so they stay here, counted by the event loop alone (no lock beyond the
asyncio Condition).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import anyio.to_thread
from starlette.concurrency import run_in_threadpool

from server_api.core.errors import VaultError
from server_api.core.settings import Settings
from server_api.http.disk_space import MIB, check_room
from server_api.store.server import ServerStore, UploadLease

R = TypeVar("R")
RETRY_AFTER_SECONDS = 2
QUEUE_SECONDS = 10.0  # honest uploads finish in moments: worth waiting for rather than failing
LEASE_SECONDS = 60.0  # a dead instance's account slots come back after this
RENEW_SECONDS = LEASE_SECONDS / 3  # a live upload renews its lease this often
log = logging.getLogger("vault.server")


class UploadGate:
    def __init__(self, *, per_user: int, total: int, min_free: int = 0, idle_seconds: float = 30.0):
        self.per_user, self.total = per_user, total
        self.min_free = min_free
        self.idle_seconds = idle_seconds  # how long the store thread waits for the next chunk
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
    async def admit(self, leases: ServerStore, user_id: int, folder: Path,
                    incoming: int) -> AsyncIterator[None]:
        """Hold one of account ``user_id``'s upload slots (leased in ``leases``' database) and one of
        this process's for the block; 429/503/507 instead when the account or the process is at its
        cap, or ``incoming`` bytes would not fit."""
        self.check_room(folder, incoming)
        lease = await run_in_threadpool(leases.take_upload_lease, user_id, self.per_user, LEASE_SECONDS)
        if lease is None:  # a waiting upload counts against its account too
            raise VaultError("throttled", f"this account already has {self.per_user} uploads in flight; "
                             "wait for one to finish", retry_after=RETRY_AFTER_SECONDS)
        renewing = asyncio.ensure_future(_keep_renewing(leases, lease))
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
            renewing.cancel()
            with anyio.CancelScope(shield=True):  # a cancelled upload still gives its slot back
                await _release(leases, lease)

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


async def _keep_renewing(leases: ServerStore, lease: UploadLease) -> None:
    """Renew ``lease`` while the upload runs. A database that fails one renewal costs nothing: the
    lease outlives two more tries."""
    while True:
        await asyncio.sleep(RENEW_SECONDS)
        try:
            await run_in_threadpool(leases.renew_upload_lease, lease, LEASE_SECONDS)
        except Exception as exc:  # noqa: BLE001 (the upload goes on; its bytes are what matters)
            log.warning("could not renew upload slot %s of account %s: %s", lease.slot, lease.user_id, exc)


async def _release(leases: ServerStore, lease: UploadLease) -> None:
    try:
        await run_in_threadpool(leases.release_upload_lease, lease)
    except Exception as exc:  # noqa: BLE001 (the answer must not be lost; the lease lapses by itself)
        log.warning("could not release upload slot %s of account %s (it lapses in %.0f s): %s",
                    lease.slot, lease.user_id, LEASE_SECONDS, exc)
