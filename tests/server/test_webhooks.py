"""Webhooks against a real HTTP receiver on 127.0.0.1: signed JSON POSTs of the changes that pass
the filter, retries with backoff, a delivery log, failures for good, no redirects, deliveries that
survive a restart, two instances over one PostgreSQL sending each delivery once, and refusals."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from postgres import fresh_database_url

from server_api.core.errors import VaultError
from server_api.core.settings import Settings
from server_api.store.sql.opening import open_server_store
from server_api.workflows.webhook_delivery import WebhookWorker


class Receiver:
    """An HTTP server in a thread that records every POST; ``answers`` are the statuses it gives,
    in turn (then 200 for ever); ``location`` makes it answer 302 with that Location."""

    def __init__(self, answers=(), location: str | None = None):
        self.posts: list[dict] = []
        self.answers = list(answers)
        self.location = location
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append({"headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(302 if receiver.location else status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(answers=(), location=None):
        made.append(Receiver(answers, location))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    return fresh_database_url(migrated=True) if request.param == "postgres" else None


def _open(tmp_path, database_url):
    root = open_server_store(Settings(database_url=database_url), tmp_path / "data")
    return root, root.for_user(root.create_admin("ada", None) if not _has_admin(root) else "ada")


def _has_admin(root) -> bool:
    try:
        root.for_user("ada")
        return True
    except VaultError:
        return False


def _drain(*workers, rounds=200) -> None:
    """Run the workers until a round attempts nothing (retries are due after a short sleep)."""
    idle = 0
    for _ in range(rounds):
        if sum(w.run_once() for w in workers):
            idle = 0
        else:
            idle += 1
            if idle > 5:
                return
            time.sleep(0.05)


def test_each_change_of_the_filtered_kinds_is_posted_signed(tmp_path, database_url, receiver):
    root, ada = _open(tmp_path, database_url)
    target = receiver()
    ada.create_collection("Before")  # before the webhook: not sent
    hook = ada.add_webhook(target.url, ["collection_*"])
    collection = ada.create_collection("Props")
    ada.create_user("bob", None)
    ada.set_grant(collection.id, "bob", "read")  # grant_changed: filtered out
    ada.update_collection(collection.id, description="bricks")
    _drain(WebhookWorker(root))

    assert [json.loads(p["body"])["change"]["kind"] for p in target.posts] == [
        "collection_created", "collection_changed"]
    for post in target.posts:
        expected = "sha256=" + hmac.new(hook.secret.encode(), post["body"], hashlib.sha256).hexdigest()
        assert post["headers"]["X-Vault-Signature"] == expected
        assert post["headers"]["Content-Type"] == "application/json"
    first = json.loads(target.posts[0]["body"])
    assert first["webhook_id"] == hook.id and first["change"]["collection_id"] == collection.id
    log = ada.webhook_deliveries(hook.id)
    assert [(d.status, d.attempts, d.response_status) for d in log] == [("delivered", 1, 200)] * 2
    assert [d.cursor for d in log] == sorted((d.cursor for d in log), reverse=True)
    root.close()


def test_a_receiver_that_fails_twice_gets_it_on_the_third_try(tmp_path, database_url, receiver):
    root, ada = _open(tmp_path, database_url)
    flaky = receiver(answers=[500, 503])
    hook = ada.add_webhook(flaky.url)
    ada.create_collection("Props")
    worker = WebhookWorker(root, retry_base_s=0.05)
    worker.run_once()
    (pending,) = ada.webhook_deliveries(hook.id)
    assert (pending.status, pending.attempts, pending.response_status) == ("pending", 1, 500)
    assert pending.last_error == "HTTP 500" and pending.next_attempt_at is not None
    _drain(worker)
    (done,) = ada.webhook_deliveries(hook.id)
    assert (done.status, done.attempts, done.response_status, done.last_error) == ("delivered", 3, 200, "")
    assert len(flaky.posts) == 3 and len({p["body"] for p in flaky.posts}) == 1  # the same body each time
    assert len({p["headers"]["X-Vault-Delivery"] for p in flaky.posts}) == 1
    root.close()


def test_retries_wait_longer_each_time_then_give_up(tmp_path, receiver):
    root, ada = _open(tmp_path, None)
    down = receiver(answers=[500] * 10)
    hook = ada.add_webhook(down.url)
    ada.create_collection("Props")
    worker = WebhookWorker(root, retry_base_s=0.2, max_attempts=3)
    waits = []
    for _ in range(3):
        attempted = datetime.now(UTC)
        _drain(worker, rounds=1)
        (d,) = ada.webhook_deliveries(hook.id)
        if d.next_attempt_at:
            waits.append((d.next_attempt_at - attempted).total_seconds())
        time.sleep(0.9)
    (failed,) = ada.webhook_deliveries(hook.id)
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 3, "HTTP 500")
    assert failed.next_attempt_at is None and failed.finished_at is not None
    assert len(waits) == 2 and 0.2 <= waits[0] < 0.4 <= waits[1] < 0.6  # 0.2 s after the first, then 0.4 s
    root.close()


def test_a_receiver_that_is_not_there_is_logged_not_fatal(tmp_path, receiver):
    root, ada = _open(tmp_path, None)
    gone = receiver()
    url = gone.url
    gone.close()
    hook = ada.add_webhook(url)
    ada.create_collection("Props")
    WebhookWorker(root, max_attempts=1, timeout_s=2).run_once()
    (d,) = ada.webhook_deliveries(hook.id)
    assert d.status == "failed" and d.response_status is None and "ConnectionError" in d.last_error
    root.close()


def test_a_redirect_is_not_followed(tmp_path, receiver):
    root, ada = _open(tmp_path, None)
    elsewhere = receiver()
    redirecting = receiver(location=elsewhere.url)
    hook = ada.add_webhook(redirecting.url)
    ada.create_collection("Props")
    WebhookWorker(root, max_attempts=1).run_once()
    assert len(redirecting.posts) == 1 and elsewhere.posts == []  # never POSTs where nobody registered
    assert ada.webhook_deliveries(hook.id)[0].last_error == "HTTP 302"
    root.close()


def test_queued_deliveries_survive_a_restart(tmp_path, receiver):
    root, ada = _open(tmp_path, None)
    target = receiver()
    ada.add_webhook(target.url)
    for i in range(3):
        ada.create_collection(f"C{i}")
    root.queue_webhook_deliveries()
    root.close()  # the server stops before sending anything

    root, ada = _open(tmp_path, None)
    _drain(WebhookWorker(root))
    assert [json.loads(p["body"])["change"]["kind"] for p in target.posts] == ["collection_created"] * 3
    root.close()


def test_two_instances_over_one_postgres_send_each_delivery_once(tmp_path, receiver):
    url = fresh_database_url(migrated=True)
    root_a, ada = _open(tmp_path / "a", url)
    root_b, _ = _open(tmp_path / "b", url)
    target = receiver()
    ada.add_webhook(target.url)
    ada.add_webhook(target.url + "?second")
    collections = 30
    for i in range(collections):
        ada.create_collection(f"C{i}")
    workers = [WebhookWorker(root_a, poll_seconds=0.01), WebhookWorker(root_b, poll_seconds=0.01)]
    for w in workers:
        w.batch = 3  # small claims, so the two really interleave
        w.start()
    deadline = time.monotonic() + 60
    while len(target.posts) < 2 * collections and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # anything sent twice would arrive now
    for w in workers:
        w.stop()
    keys = [(p["headers"]["X-Vault-Delivery"]) for p in target.posts]
    assert len(keys) == 2 * collections and len(set(keys)) == len(keys)
    holders = {d.status for hook in ada.list_webhooks() for d in ada.webhook_deliveries(hook.id)}
    assert holders == {"delivered"}
    root_a.close()
    root_b.close()


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)",
                                 "http://", "example.com/hook", "http://exa mple.com/", "", "http://x:99999/"])
def test_only_http_urls_can_be_registered(tmp_path, url):
    root, ada = _open(tmp_path, None)
    with pytest.raises(VaultError) as caught:
        ada.add_webhook(url)
    assert caught.value.code == "invalid_argument"
    assert ada.list_webhooks() == []
    root.close()


def test_kinds_secrets_and_who_may_manage_webhooks(tmp_path):
    root, ada = _open(tmp_path, None)
    with pytest.raises(VaultError, match="unknown change kind 'uploads'"):
        ada.add_webhook("http://127.0.0.1:1/x", ["uploads"])
    with pytest.raises(VaultError, match="16 to 128"):
        ada.add_webhook("http://127.0.0.1:1/x", secret="short")
    hook = ada.add_webhook("https://ci.example.com/vault", ["material_*", "published"], secret="s" * 32)
    assert hook.secret == "s" * 32 and ada.list_webhooks()[0].secret == ""  # shown once
    ada.create_user("bob", None)
    bob = root.for_user("bob")
    for call in (lambda: bob.add_webhook("http://127.0.0.1:1/x"), bob.list_webhooks,
                 lambda: bob.remove_webhook(hook.id), lambda: bob.webhook_deliveries(hook.id)):
        with pytest.raises(VaultError) as caught:
            call()
        assert caught.value.code == "permission_denied"
    ada.remove_webhook(hook.id)
    with pytest.raises(VaultError) as caught:
        ada.remove_webhook(hook.id)
    assert caught.value.code == "not_found"
    root.close()
