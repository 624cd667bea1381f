"""The webhook delivery worker: takes due deliveries from the database queue and POSTs them.

Every server process runs one (VAULT_WEBHOOK_DELIVERY=0 turns it off); they share the queue by
leases (store/sql/webhook_queue.py), so two instances never send one delivery twice while both are
alive. Each POST carries the JSON body and ``X-Vault-Signature: sha256=<HMAC-SHA256 of the body with
the webhook's secret>``; 2xx is delivered, anything else (or no answer within the timeout) is
retried after retry_base * 2^(attempt-1) seconds, until max_attempts, then marked failed.
Redirects are not followed: a POST only ever goes to the URL an admin registered.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import socket
import threading

import requests

from server_api.core.settings import Settings
from server_api.store.webhook_api import DeliveryJob, WebhookQueue

log = logging.getLogger("vault.webhooks")
SIGNATURE_HEADER = "X-Vault-Signature"


def signature(secret: str, body: bytes) -> str:
    """The X-Vault-Signature value a receiver recomputes to trust a delivery."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookWorker:
    def __init__(self, queue: WebhookQueue, *, poll_seconds: float = 1.0, retry_base_s: float = 5.0,
                 max_attempts: int = 8, timeout_s: float = 10.0, batch: int = 20):
        self.queue = queue
        self.poll_seconds = poll_seconds
        self.retry_base_s = retry_base_s
        self.max_attempts = max_attempts
        self.timeout_s = timeout_s
        self.batch = batch
        self.holder = f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"
        self._http = requests.Session()
        self._http.trust_env = False  # no proxy from the environment: straight to the registered URL
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def from_settings(cls, queue: WebhookQueue, config: Settings) -> WebhookWorker:
        return cls(queue, poll_seconds=config.webhook_poll_s, retry_base_s=config.webhook_retry_base_s,
                   max_attempts=config.webhook_max_attempts, timeout_s=config.webhook_timeout_s)

    def run_once(self) -> int:
        """Queue new changes, then send what is due now; how many deliveries were attempted."""
        self.queue.queue_webhook_deliveries()
        # A lease outlives one batch of attempts, so no other worker takes these meanwhile.
        jobs = self.queue.claim_deliveries(self.holder, self.batch, self.batch * (self.timeout_s + 5))
        for job in jobs:
            self.deliver(job)
        return len(jobs)

    def deliver(self, job: DeliveryJob) -> None:
        body = job.payload.encode()
        headers = {"Content-Type": "application/json", "User-Agent": "texture-vault-webhooks",
                   SIGNATURE_HEADER: signature(job.secret, body), "X-Vault-Event": job.kind,
                   "X-Vault-Delivery": str(job.id)}
        status, error = None, ""
        try:
            response = self._http.post(job.url, data=body, headers=headers, timeout=self.timeout_s,
                                       allow_redirects=False)
            response.close()
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        attempts = job.attempts + 1
        retry_in = None
        if error and attempts < self.max_attempts:
            retry_in = self.retry_base_s * 2 ** (attempts - 1)
        self.queue.finish_delivery(job, self.holder, response_status=status, error=error, retry_in=retry_in)

    # ---- as a thread of the server process ------------------------------------------------------
    def start(self) -> WebhookWorker:
        self._thread = threading.Thread(target=self._loop, name="webhook-delivery", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout_s + 5)
        self._http.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # noqa: BLE001 (a database or network hiccup must not end delivery)
                log.exception("webhook delivery")
                busy = 0
            if not busy:
                self._stop.wait(self.poll_seconds)
