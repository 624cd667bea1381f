"""Registering webhooks on every face: server admins only, http(s) URLs only, known kinds only, the
secret shown once, the delivery log of a webhook (delivery itself: tests/server/test_webhooks.py)."""

from __future__ import annotations

import pytest

from server_api.core.errors import VaultError


def test_a_server_admin_adds_lists_and_removes_webhooks(face):
    admin = face.admin
    hook = admin.add_webhook("https://ci.example.com/vault", ["published", "material_*"])
    assert hook.kinds == ("published", "material_*") and len(hook.secret) >= 32
    (listed,) = admin.list_webhooks()
    assert (listed.id, listed.url, listed.kinds, listed.secret) == (hook.id, hook.url, hook.kinds, "")
    assert admin.webhook_deliveries(hook.id) == []
    admin.remove_webhook(hook.id)
    assert admin.list_webhooks() == []
    with pytest.raises(VaultError) as caught:
        admin.webhook_deliveries(hook.id)
    assert caught.value.code == "not_found"


def test_nobody_else_may_touch_webhooks(face):
    hook = face.admin.add_webhook("http://127.0.0.1:1/hook")
    olivia = face.user("olivia")
    for call in (lambda: olivia.add_webhook("http://127.0.0.1:1/x"), olivia.list_webhooks,
                 lambda: olivia.remove_webhook(hook.id), lambda: olivia.webhook_deliveries(hook.id)):
        with pytest.raises(VaultError) as caught:
            call()
        assert caught.value.code == "permission_denied"
    assert len(face.admin.list_webhooks()) == 1


@pytest.mark.parametrize("url, kinds, secret, named", [
    ("file:///etc/passwd", [], None, "http:// or https://"),
    ("gopher://x/", [], None, "http:// or https://"),
    ("http://", [], None, "URL"),
    ("https://x.example/", ["everything"], None, "unknown change kind 'everything'"),
    ("https://x.example/", [], "tooshort", "secret"),
])
def test_bad_registrations_are_refused_by_name(face, url, kinds, secret, named):
    with pytest.raises(VaultError) as caught:
        face.admin.add_webhook(url, kinds, secret)
    assert caught.value.code == "invalid_argument" and named in caught.value.message
    assert face.admin.list_webhooks() == []
