"""Request bodies arrive in bounded time, or the request ends with 408 (slow-loris protection).

uvicorn waits for a body forever: a client that sends headers and then a byte now and then would
hold its request (and, for an upload, a store thread) for as long as it likes. This ASGI middleware
wraps ``receive``: each chunk must come within the idle timeout, the whole body within the total
timeout. Past either, ``receive`` raises HTTPException(408), which FastAPI lets through body parsing
and the upload path turns into its answer; the connection is closed, not drained.
"""

from __future__ import annotations

import asyncio
import time

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTimeouts:
    def __init__(self, app: ASGIApp, *, idle_seconds: float, total_seconds: float):
        self.app = app
        self.idle_seconds = idle_seconds
        self.total_seconds = total_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = time.monotonic() + self.total_seconds
        body_done = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:  # after the body only http.disconnect comes: waiting for it is the app's choice
                return await receive()
            left = deadline - time.monotonic()
            wait = min(self.idle_seconds, left)
            try:
                message = await asyncio.wait_for(receive(), timeout=max(wait, 0.001))
            except TimeoutError:
                scope.setdefault("state", {})["unread_body"] = True  # answer with Connection: close
                what = (f"no data for {self.idle_seconds:g} s" if wait == self.idle_seconds
                        else f"the body took over {self.total_seconds:g} s")
                raise HTTPException(408, f"request body timed out: {what}") from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        await self.app(scope, timed_receive, send)
