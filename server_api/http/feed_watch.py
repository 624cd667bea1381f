"""One watcher of the change feed per server process, shared by all its event streams.

It asks the database for the newest cursor every ``poll_seconds`` (one tiny query per process, not
one per stream) while at least one stream listens, and wakes the streams when it moves. The events
themselves always come from the database, so a write through any instance over the same database
reaches every instance's streams. Waiting holds no database connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

log = logging.getLogger("vault.server")


class FeedWatch:
    def __init__(self, latest_cursor: Callable[[], int], poll_seconds: float):
        self._latest_cursor = latest_cursor
        self._poll = poll_seconds
        self._latest = -1
        self._moved = asyncio.Event()
        self._listeners = 0
        self._task: asyncio.Task | None = None

    @property
    def latest(self) -> int:
        """The newest cursor seen (-1 before the first look)."""
        return self._latest

    async def look(self) -> int:
        """Ask the database now (a stream's first look; then the watcher keeps it fresh)."""
        self._set(await run_in_threadpool(self._latest_cursor))
        return self._latest

    async def wait_past(self, cursor: int, timeout: float) -> bool:
        """True once the newest cursor is past ``cursor``; False when ``timeout`` ran out first."""
        self._listeners += 1
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        try:
            async with asyncio.timeout(timeout):
                while self._latest <= cursor:
                    await self._moved.wait()
            return True
        except TimeoutError:
            return False
        finally:
            self._listeners -= 1

    async def _run(self) -> None:
        while self._listeners > 0:
            try:
                self._set(await run_in_threadpool(self._latest_cursor))
            except Exception as exc:  # noqa: BLE001 (a database hiccup must not end the watcher)
                log.warning("change feed watcher: %s", exc)
            await asyncio.sleep(self._poll)

    def _set(self, latest: int) -> None:
        if latest != self._latest:
            self._latest = latest
            self._moved.set()
            self._moved = asyncio.Event()
