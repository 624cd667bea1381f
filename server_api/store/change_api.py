"""The change feed: a part of the VaultStore interface (both faces implement it).

Every write is an audit event; the feed hands them out in commit order, each with a cursor (the
event's id), filtered to what the caller may read NOW: a collection's changes stop the moment the
caller loses access to it (and a revoke or a deleted collection is not shown to those it shuts out:
a client that sees nothing of a collection any more learns it from ``list_collections``).
Vault-wide changes (the tag vocabulary: collection_id None) go to everyone.
Activity, live updates, notifications, offline sync and webhooks are all readers of this one feed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator

from server_api.core.errors import VaultError
from server_api.store.entities import Change, ChangePage

MAX_CHANGES_PER_PAGE = 1000


class ChangesApi(ABC):
    @abstractmethod
    def changes(self, since: int = 0, limit: int = 500) -> ChangePage:
        """The caller's changes with a cursor above ``since``, oldest first, at most ``limit``
        (1..MAX_CHANGES_PER_PAGE, else "invalid_argument"; ``since`` below 0 too). The page's
        ``cursor`` may pass changes the caller cannot read: ask again from it, never from an item."""

    @abstractmethod
    def latest_cursor(self) -> int:
        """The newest cursor now (0 for an empty vault): ``changes(latest_cursor())`` = from now on."""

    def stream_changes(self, since: int = 0, *, poll_seconds: float = 1.0) -> Iterator[Change | None]:
        """Changes as they happen, oldest first, forever (the caller stops iterating): each Change,
        and None whenever a wait passes with nothing new, so a consumer can check its stop flag.
        This default polls ``changes``; the REST face reads the server's Server-Sent Events and
        reconnects with Last-Event-ID."""
        import time

        cursor = since
        while True:
            page = self.changes(cursor)
            cursor = page.cursor
            yield from page.items
            if not page.more:
                yield None
                time.sleep(poll_seconds)


def check_since(since) -> None:
    if isinstance(since, bool) or not isinstance(since, int) or not 0 <= since < 2**63:
        raise VaultError("invalid_argument", f"since must be a cursor (a whole number >= 0), not {since!r}")


def check_limit(limit) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_CHANGES_PER_PAGE:
        raise VaultError(
            "invalid_argument", f"limit must be between 1 and {MAX_CHANGES_PER_PAGE}, not {limit!r}"
        )
