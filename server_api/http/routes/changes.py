"""The change feed: a page of changes (GET /changes) and Server-Sent Events (GET /changes/stream).

The stream is Starlette's StreamingResponse rather than sse-starlette: the whole protocol here is
three line types (id/event/data, a comment as heartbeat), and owning the loop lets a stream hold no
database connection while it waits (it waits on the process's one FeedWatch) and re-check its
token on every heartbeat. A client that stops reading stalls only its own stream: uvicorn's flow
control parks that one coroutine, nothing else waits for it.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from server_api.core.errors import VaultError
from server_api.http.deps import Caller, Token, accounts
from server_api.http.respond import documented, one
from server_api.store import codec
from server_api.store.change_api import MAX_CHANGES_PER_PAGE
from server_api.store.entities import ChangePage

router = APIRouter(prefix="/api/v1", tags=["changes"])
Since = Annotated[int, Query(ge=0, le=2**63 - 1, description="a change cursor: what came after it")]
Limit = Annotated[int, Query(ge=1, le=MAX_CHANGES_PER_PAGE)]
log = logging.getLogger("vault.server")
PAGE = 500


@router.get("/changes", responses=documented(ChangePage))
def list_changes(store: Caller, since: Since = 0, limit: Limit = PAGE) -> JSONResponse:
    """What the caller may read, changed after cursor ``since``, oldest first: {items, cursor, more}.
    Ask again with since=cursor; ``more`` true means the next page is already there."""
    return one(store.changes(since, limit))


@router.get("/changes/latest")
def latest_cursor(store: Caller) -> JSONResponse:
    """{"cursor": the newest cursor}: follow from now on without reading the past."""
    return JSONResponse({"cursor": store.latest_cursor()})


@router.get("/changes/stream", response_class=StreamingResponse)
async def stream_changes(
    request: Request, store: Caller, token: Token, since: Since = 0,
    last_event_id: Annotated[str | None, Header(pattern=r"^\s*[0-9]{0,18}\s*$")] = None,
) -> StreamingResponse:
    """Server-Sent Events: each change as ``id: CURSOR`` / ``event: change`` / ``data: {json}``, from
    cursor ``since`` (or the Last-Event-ID header, which wins: a reconnecting EventSource sends it);
    a ``: heartbeat`` comment whenever nothing happened for VAULT_CHANGES_HEARTBEAT_S."""
    start = _resume_point(since, last_event_id)
    await run_in_threadpool(store.changes, start, 1)  # a bad cursor: a plain 400, before the stream
    watch = request.app.state.feed_watch
    heartbeat = request.app.state.changes_heartbeat_s
    signed_in = accounts(request).signed_in

    async def events():
        cursor = start
        yield "retry: 1000\n\n"
        last_sent = time.monotonic()
        while True:
            seen = watch.latest if watch.latest >= 0 else await watch.look()
            try:
                page = await run_in_threadpool(store.changes, cursor, PAGE)
            except Exception as exc:  # noqa: BLE001 (the database is away or the pool is exhausted)
                log.warning("change stream ended: %s", exc)
                return  # a clean end: the client reconnects with Last-Event-ID
            for change in page.items:
                yield _event(change)
            if page.items:
                cursor, last_sent = page.cursor, time.monotonic()
            if page.more:
                continue
            wait = max(0.0, heartbeat - (time.monotonic() - last_sent))
            if not await watch.wait_past(seen, wait):
                try:  # the token may have been revoked or the account disabled meanwhile
                    await run_in_threadpool(signed_in, token)
                except VaultError:
                    return
                yield ": heartbeat\n\n"
                last_sent = time.monotonic()

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


def _resume_point(since: int, last_event_id: str | None) -> int:
    if last_event_id is None or not last_event_id.strip():
        return since
    if not last_event_id.strip().isdigit():
        raise VaultError("invalid_argument",
                         f"Last-Event-ID must be a change cursor, not {last_event_id[:40]!r}")
    return int(last_event_id)


def _event(change) -> str:
    return f"id: {change.cursor}\nevent: change\ndata: {json.dumps(codec.encode(change))}\n\n"
