"""Webhooks on the SQL face (store/webhook_api.py): registering them (server admins) and their
delivery log; the queue the delivery worker takes from is webhook_queue.py."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import delete, insert, select

from server_api.core.errors import VaultError
from server_api.store.sql.access import require_server_admin
from server_api.store.sql.convert import E, U, now, utc
from server_api.store.sql.models import WebhookDeliveryRow, WebhookRow
from server_api.store.sql.queries import fits_column
from server_api.store.webhook_api import Webhook, WebhookDelivery, check_kinds, check_webhook_url

W = WebhookRow.__table__
D = WebhookDeliveryRow.__table__


class WebhooksMixin:
    def add_webhook(self, url: str, kinds: Sequence[str] = (), secret: str | None = None) -> Webhook:
        me = self._me()
        require_server_admin(me, "register webhooks")
        url, kinds = check_webhook_url(url), check_kinds(kinds)
        secret = _check_secret(secret) if secret is not None else secrets.token_hex(32)
        when = now()
        with self.session() as s:
            newest = s.execute(select(E.c.id).order_by(E.c.id.desc()).limit(1)).scalar() or 0
            webhook_id = s.execute(insert(W).values(
                url=url, kinds=",".join(kinds), secret=secret, created_by_id=me.id, created_at=when,
                fed_up_to=newest,  # changes from now on, not the vault's whole past
            ).returning(W.c.id)).scalar_one()
        return Webhook(webhook_id, url, kinds, me.username, when, secret)

    def list_webhooks(self) -> list[Webhook]:
        require_server_admin(self._me(), "see webhooks")
        with self._read() as s:
            rows = s.execute(_webhook_select().order_by(W.c.id)).all()
        return [_to_webhook(r) for r in rows]

    def remove_webhook(self, webhook_id: int) -> None:
        require_server_admin(self._me(), "remove webhooks")
        with self.session() as s:
            _existing(s, webhook_id)
            s.execute(delete(D).where(D.c.webhook_id == webhook_id))
            s.execute(delete(W).where(W.c.id == webhook_id))

    def webhook_deliveries(self, webhook_id: int, *, limit: int = 100) -> list[WebhookDelivery]:
        require_server_admin(self._me(), "see webhook deliveries")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise VaultError("invalid_argument", f"limit must be between 1 and 1000, not {limit!r}")
        with self._read() as s:
            _existing(s, webhook_id)
            rows = s.execute(
                select(D).where(D.c.webhook_id == webhook_id).order_by(D.c.id.desc()).limit(limit)
            ).all()
        return [_to_delivery(r) for r in rows]


def _existing(s, webhook_id) -> None:
    if isinstance(webhook_id, bool) or not fits_column(webhook_id) or s.execute(
            select(W.c.id).where(W.c.id == webhook_id)).first() is None:
        raise VaultError("not_found", f"webhook {webhook_id!r} not found")


def _check_secret(secret) -> str:
    if not isinstance(secret, str) or not 16 <= len(secret) <= 128 or not secret.isascii() \
            or not secret.isprintable() or secret.strip() != secret:
        raise VaultError("invalid_argument", "a webhook secret is 16 to 128 printable ASCII characters")
    return secret


def _webhook_select():
    return (select(W.c.id, W.c.url, W.c.kinds, U.c.username, W.c.created_at)
            .join(U, U.c.id == W.c.created_by_id))


def _to_webhook(row) -> Webhook:
    kinds = tuple(k for k in row.kinds.split(",") if k)
    return Webhook(row.id, row.url, kinds, row.username, utc(row.created_at))


def _to_delivery(row) -> WebhookDelivery:
    return WebhookDelivery(
        id=row.id, webhook_id=row.webhook_id, cursor=row.event_id, kind=row.kind, status=row.status,
        attempts=row.attempts, response_status=row.response_status, last_error=row.last_error,
        created_at=utc(row.created_at),
        next_attempt_at=utc(row.next_attempt_at) if row.status == "pending" else None,
        finished_at=utc(row.finished_at),
    )
