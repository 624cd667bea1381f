"""The webhook part of RestVaultStore (server_api.http.routes.webhooks on the other side)."""

from __future__ import annotations

from collections.abc import Sequence

from server_api.store import codec
from server_api.store.webhook_api import Webhook, WebhookDelivery

API = "/api/v1"


class RestWebhooksMixin:
    def add_webhook(self, url: str, kinds: Sequence[str] = (), secret: str | None = None) -> Webhook:
        body = {"url": url, "kinds": list(kinds), "secret": secret}
        return codec.decode(Webhook, self._http.call("POST", f"{API}/webhooks", json=body))

    def list_webhooks(self) -> list[Webhook]:
        return codec.decode_list(Webhook, self._get("/webhooks"))

    def remove_webhook(self, webhook_id: int) -> None:
        self._http.call("DELETE", f"{API}/webhooks/{int(webhook_id)}", expect_json=False)

    def webhook_deliveries(self, webhook_id: int, *, limit: int = 100) -> list[WebhookDelivery]:
        return codec.decode_list(WebhookDelivery, self._get(f"/webhooks/{int(webhook_id)}/deliveries",
                                                            limit=limit))
