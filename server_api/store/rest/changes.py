"""The change feed part of RestVaultStore (server_api.http.routes.changes on the other side)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import requests

from server_api.core.errors import VaultError
from server_api.store import codec
from server_api.store.change_api import check_limit, check_since
from server_api.store.entities import Change, ChangePage

API = "/api/v1"
STREAM_IDLE_TIMEOUT = 60.0  # no byte for this long (heartbeats come every 15 s): the stream is dead
RECONNECT_MAX_WAIT = 30.0


class RestChangesMixin:
    def changes(self, since: int = 0, limit: int = 500) -> ChangePage:
        check_since(since)
        check_limit(limit)
        return codec.decode(ChangePage, self._get("/changes", since=since, limit=limit))

    def latest_cursor(self) -> int:
        return int(self._get("/changes/latest")["cursor"])

    def stream_changes(self, since: int = 0, *, poll_seconds: float = 1.0,
                       idle_timeout: float = STREAM_IDLE_TIMEOUT) -> Iterator[Change | None]:
        """The server's Server-Sent Events: each Change, and None for every heartbeat or failed
        connection (so a consumer can check its stop flag). A dropped stream reconnects with
        Last-Event-ID after a growing wait (``poll_seconds`` doubling up to 30 s); errors other than
        "unavailable" (a revoked token, say) end the generator with that VaultError."""
        cursor = since
        wait = poll_seconds
        while True:
            try:
                response = self._http.send(
                    "GET", f"{API}/changes/stream", params={"since": cursor}, stream=True,
                    headers={"Last-Event-ID": str(cursor), "Accept": "text/event-stream"},
                    timeout=(self._http.timeout[0], idle_timeout),
                )
                with response:
                    for fields in _sse_events(response):
                        wait = poll_seconds
                        if fields is None:
                            yield None
                            continue
                        change = codec.decode(Change, _json(fields["data"]))
                        cursor = change.cursor
                        yield change
            except VaultError as exc:
                if exc.code != "unavailable":
                    raise
            except requests.RequestException:  # cut mid-stream, or silent past idle_timeout
                pass
            yield None
            time.sleep(wait)
            wait = min(wait * 2, RECONNECT_MAX_WAIT)


def _json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        raise VaultError("internal", "the server sent an event that is not JSON") from None


def _sse_events(response: requests.Response) -> Iterator[dict[str, str] | None]:
    """Server-Sent Events as {field: value} dicts (data lines joined); None for a comment line
    (the heartbeat). https://html.spec.whatwg.org/multipage/server-sent-events.html"""
    fields: dict[str, str] = {}
    for line in response.iter_lines(chunk_size=None, decode_unicode=True):
        if line == "":
            if "data" in fields:
                yield fields
            fields = {}
        elif line.startswith(":"):
            yield None
        else:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            fields[name] = f"{fields[name]}\n{value}" if name == "data" and name in fields else value
