"""The webhook delivery queue on the SQL face (store/webhook_api.WebhookQueue): changes become
delivery rows, workers claim due rows with a lease, and record each attempt.

Two server instances over one database share it: feeding locks the webhook rows it works on and
a delivery is unique per (webhook, change), so nothing is queued twice; claiming takes rows nobody
holds (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer at a time) and leases them, so
two workers never send the same delivery unless a lease ran out (the holder died or hung).
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import insert as sql_insert
from sqlalchemy import or_, select, update

from server_api.store import codec
from server_api.store.change_kinds import kind_of
from server_api.store.sql.change_ops import change_select, to_change
from server_api.store.sql.convert import E, now
from server_api.store.sql.webhook_ops import D, W
from server_api.store.webhook_api import DeliveryJob, kind_matches


class WebhookQueueMixin:
    def queue_webhook_deliveries(self, limit: int = 500) -> int:
        queued = 0
        with self.session() as s:
            hooks = s.execute(select(W.c.id, W.c.kinds, W.c.fed_up_to).order_by(W.c.id)
                              .with_for_update(skip_locked=True)).all()
            if not hooks:
                return 0
            low = min(h.fed_up_to for h in hooks)
            rows = s.execute(change_select(None).where(E.c.id > low).order_by(E.c.id).limit(limit)).all()
            if not rows:
                return 0
            when, last = now(), rows[-1].id
            for hook in hooks:
                kinds = [k for k in hook.kinds.split(",") if k]
                new = [_delivery(hook.id, row, when) for row in rows
                       if row.id > hook.fed_up_to and kind_matches(kinds, kind_of(row.action))]
                if new:
                    s.execute(sql_insert(D), new)
                    queued += len(new)
                if last > hook.fed_up_to:
                    s.execute(update(W).where(W.c.id == hook.id).values(fed_up_to=last))
        return queued

    def claim_deliveries(self, holder: str, limit: int, lease_seconds: float) -> list[DeliveryJob]:
        when = now()
        with self.session() as s:
            ids = s.execute(
                select(D.c.id)
                .where(D.c.status == "pending", D.c.next_attempt_at <= when,
                       or_(D.c.lease_until.is_(None), D.c.lease_until < when))
                .order_by(D.c.id).limit(limit).with_for_update(skip_locked=True)
            ).scalars().all()
            if not ids:
                return []
            s.execute(update(D).where(D.c.id.in_(ids)).values(
                lease_holder=holder, lease_until=when + timedelta(seconds=lease_seconds)))
            rows = s.execute(
                select(D.c.id, W.c.url, W.c.secret, D.c.payload, D.c.kind, D.c.attempts)
                .join(W, W.c.id == D.c.webhook_id).where(D.c.id.in_(ids)).order_by(D.c.id)
            ).all()
        return [DeliveryJob(r.id, r.url, r.secret, r.payload, r.kind, r.attempts) for r in rows]

    def finish_delivery(self, job: DeliveryJob, holder: str, *, response_status: int | None,
                        error: str, retry_in: float | None) -> None:
        when = now()
        values = dict(attempts=job.attempts + 1, response_status=response_status, last_error=error[:2000],
                      lease_holder=None, lease_until=None)
        if not error:
            values.update(status="delivered", finished_at=when)
        elif retry_in is None:
            values.update(status="failed", finished_at=when)
        else:
            values.update(next_attempt_at=when + timedelta(seconds=retry_in))
        with self.session() as s:
            s.execute(update(D).where(D.c.id == job.id, D.c.lease_holder == holder, D.c.status == "pending")
                      .values(**values))


def _delivery(webhook_id: int, row, when) -> dict:
    change = to_change(row)
    payload = json.dumps({"webhook_id": webhook_id, "change": codec.encode(change)})
    return dict(webhook_id=webhook_id, event_id=row.id, kind=change.kind, payload=payload, status="pending",
                attempts=0, next_attempt_at=when, lease_holder=None, lease_until=None, response_status=None,
                last_error="", created_at=when, finished_at=None)
