"""A server behind a proxy (compose.yaml's Caddy) believes X-Forwarded-For only from the proxies
VAULT_FORWARDED_ALLOW_IPS names (issue 15): then each artist counts as their own address (the
sign-in line's per-client share, the log), not everyone as the proxy. Real `vault-server serve`."""

from __future__ import annotations

import socket
import time

import pytest
from abuse_server import AbuseServer, upload_head


def vanished_client(tmp_path, env: dict[str, str], forwarded_for: str) -> str:
    """The address the server logs for an upload whose client (claiming ``forwarded_for``) vanished."""
    with AbuseServer(tmp_path, env=env) as server:
        token = server.account("mallory")
        target = server.collection(token, "Bait")
        head, body = upload_head(server, token, target)
        head = head.replace(b"\r\n\r\n", f"\r\nX-Forwarded-For: {forwarded_for}\r\n\r\n".encode())
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(head + body)
            time.sleep(0.3)  # admitted and receiving; then the client vanishes
        deadline = time.monotonic() + 10
        while "went away" not in (log := server.log_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
    line = next(line for line in log.splitlines() if "went away mid-upload" in line)
    return line.split("client ", 1)[1].split(" ", 1)[0]


@pytest.mark.parametrize(("allowed", "seen"), [
    ("127.0.0.1", "203.0.113.9"),   # the proxy is trusted: the artist's address
    ("*", "203.0.113.9"),
    ("10.9.8.7", "127.0.0.1"),      # another proxy is trusted, not this peer: the header is ignored
    (None, "127.0.0.1"),            # the default: no proxy is believed, a client cannot claim an address
])
def test_x_forwarded_for_counts_only_from_an_allowed_proxy(tmp_path, allowed, seen):
    env = {"VAULT_FORWARDED_ALLOW_IPS": allowed} if allowed else {}
    assert vanished_client(tmp_path, env, "203.0.113.9") == seen
