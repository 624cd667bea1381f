"""Webhooks: the change feed POSTed to URLs a server admin registered. A part of the VaultStore
interface (both faces implement it; only server admins may use it), and the delivery queue behind
it (WebhookQueue: the server's own side, used by the delivery worker, workflows/webhook_delivery.py).

Each change whose kind passes a webhook's filter becomes one delivery row, queued in the database:
deliveries survive a restart, and several server instances share the queue by claiming rows with a
lease (a worker that dies mid-delivery loses its lease; another retries). Delivery is at least once:
a receiver that must not act twice keys on the change's ``cursor``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from server_api.core.errors import VaultError
from server_api.store.change_kinds import CHANGE_KINDS

DELIVERY_STATUSES: tuple[str, ...] = ("pending", "delivered", "failed")
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class Webhook:
    id: int
    url: str
    kinds: tuple[str, ...]  # change kinds it gets ("material_*" = every kind starting so); () = all
    created_by: str
    created_at: datetime
    secret: str = ""  # the HMAC key, shown once: in what add_webhook returns (empty in listings)


@dataclass(frozen=True)
class WebhookDelivery:
    id: int
    webhook_id: int
    cursor: int  # the change's cursor
    kind: str
    status: str  # pending | delivered | failed
    attempts: int
    response_status: int | None  # the receiver's last HTTP status; None: no answer
    last_error: str  # why the last attempt failed ("" after success)
    created_at: datetime
    next_attempt_at: datetime | None  # None once delivered or failed for good
    finished_at: datetime | None


@dataclass(frozen=True)
class DeliveryJob:
    """A claimed delivery: what the worker POSTs and where."""

    id: int
    url: str
    secret: str
    payload: str  # the JSON body
    kind: str
    attempts: int  # attempts made before this one


class WebhooksApi(ABC):
    @abstractmethod
    def add_webhook(self, url: str, kinds: Sequence[str] = (), secret: str | None = None) -> Webhook:
        """Register ``url`` (http or https only) for changes of ``kinds`` (all when empty); changes
        from now on are delivered. ``secret`` None: a random one; either way returned once."""

    @abstractmethod
    def list_webhooks(self) -> list[Webhook]: ...

    @abstractmethod
    def remove_webhook(self, webhook_id: int) -> None:
        """Stop delivering to it; its pending deliveries and log go with it."""

    @abstractmethod
    def webhook_deliveries(self, webhook_id: int, *, limit: int = 100) -> list[WebhookDelivery]:
        """The delivery log, newest first: pending, delivered and failed, with the last error."""


class WebhookQueue(ABC):
    """The server's side of the queue (no caller: the delivery worker runs as the server)."""

    @abstractmethod
    def queue_webhook_deliveries(self, limit: int = 500) -> int:
        """Turn changes no webhook has seen yet into delivery rows; how many were queued."""

    @abstractmethod
    def claim_deliveries(self, holder: str, limit: int, lease_seconds: float) -> list[DeliveryJob]:
        """Due deliveries nobody holds, leased to ``holder`` for ``lease_seconds``."""

    @abstractmethod
    def finish_delivery(self, job: DeliveryJob, holder: str, *, response_status: int | None,
                        error: str, retry_in: float | None) -> None:
        """Record an attempt: delivered when ``error`` is empty, else retried in ``retry_in``
        seconds (None: failed for good). Nothing happens when ``holder`` lost the lease."""


def check_webhook_url(url) -> str:
    if not isinstance(url, str) or not url.strip():
        raise VaultError("invalid_argument", "a webhook needs a URL")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise VaultError("invalid_argument", f"a webhook URL has at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        raise VaultError("invalid_argument", f"not a URL: {url[:80]!r} ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise VaultError("invalid_argument",
                         f"a webhook URL must be http:// or https://, not {parts.scheme or 'no scheme'}:")
    if not parts.hostname or not url.isprintable() or any(c.isspace() for c in url):
        raise VaultError("invalid_argument", f"not a URL a webhook can POST to: {url[:80]!r}")
    return url


def check_kinds(kinds) -> tuple[str, ...]:
    if isinstance(kinds, str) or not isinstance(kinds, Sequence):
        raise VaultError("invalid_argument", "kinds must be a list of change kinds")
    checked = []
    for kind in kinds:
        if not isinstance(kind, str) or not _known(kind):
            raise VaultError("invalid_argument",
                             f"unknown change kind {kind!r}: one of {', '.join(CHANGE_KINDS)} (or prefix_*)")
        checked.append(kind)
    return tuple(dict.fromkeys(checked))


def kind_matches(kinds: Sequence[str], kind: str) -> bool:
    return not kinds or any(kind == k or (k.endswith("*") and kind.startswith(k[:-1])) for k in kinds)


def _known(kind: str) -> bool:
    if kind.endswith("*"):
        return len(kind) > 1 and any(k.startswith(kind[:-1]) for k in CHANGE_KINDS)
    return kind in CHANGE_KINDS
