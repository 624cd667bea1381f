"""Webhooks (server admins): register a URL for change kinds, list, remove, and the delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from server_api.http.deps import Caller
from server_api.http.respond import documented, done, items, one
from server_api.http.schemas import MAX_ID, Items, Strict
from server_api.store.webhook_api import MAX_URL_LENGTH, Webhook, WebhookDelivery

router = APIRouter(prefix="/api/v1", tags=["webhooks"])
WebhookId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]  # one that names nothing: 404


class WebhookBody(Strict):
    url: Annotated[str, Field(min_length=1, max_length=MAX_URL_LENGTH)]
    kinds: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=100)] = []
    secret: Annotated[str | None, Field(min_length=16, max_length=128)] = None


@router.post("/webhooks", status_code=201, responses=documented(Webhook, 201))
def add_webhook(body: WebhookBody, store: Caller) -> JSONResponse:
    """POST each change of ``kinds`` (all when empty; "material_*" for a prefix) to ``url`` as JSON,
    signed with ``X-Vault-Signature: sha256=HMAC``. The secret is in this answer only."""
    return one(store.add_webhook(body.url, body.kinds, body.secret), 201)


@router.get("/webhooks", responses=documented(Items[Webhook]))
def list_webhooks(store: Caller) -> JSONResponse:
    return items(store.list_webhooks())


@router.delete("/webhooks/{webhook_id}", status_code=204)
def remove_webhook(webhook_id: WebhookId, store: Caller) -> Response:
    store.remove_webhook(webhook_id)
    return done()


@router.get("/webhooks/{webhook_id}/deliveries", responses=documented(Items[WebhookDelivery]))
def webhook_deliveries(
    webhook_id: WebhookId, store: Caller, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> JSONResponse:
    """The delivery log, newest first: status, attempts, the receiver's last answer or error."""
    return items(store.webhook_deliveries(webhook_id, limit=limit))
