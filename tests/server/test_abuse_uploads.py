"""Upload abuse over real HTTP against a `vault-server serve` process (issue 10, part A).

Each test is an attack an ordinary account could make on the first server, where it froze or bloated
the process: stalled uploads holding every worker thread, slow-loris bodies, 10,000 form fields,
huge part headers, and a client vanishing mid-upload (a traceback per disconnect).
"""

from __future__ import annotations

import concurrent.futures
import socket
import time

import pytest
import requests
from abuse_server import AbuseServer, stall, status_of, upload_head
from corpus import write_image

MIB = 1 << 20


@pytest.fixture
def server(tmp_path):
    with AbuseServer(tmp_path, env={"VAULT_BODY_IDLE_TIMEOUT_S": "60"}) as live:
        yield live


def test_stalled_uploads_never_freeze_the_server(server, tmp_path):
    """41 stalled uploads took all 40 worker threads: /healthz, listings and logins hung for minutes."""
    attackers = [server.account(f"mallory{i}") for i in range(12)]
    targets = [server.collection(token, f"Bait {i}") for i, token in enumerate(attackers)]
    honest = server.account("hana")
    mine = server.collection(honest, "Honest")
    sockets = [stall(server, token, cid) for token, cid in zip(attackers, targets, strict=True)
               for _ in range(6)]  # 72 stalled uploads from 12 accounts
    try:
        time.sleep(1.0)  # let every one of them reach the server and take what it can
        answers = [status_of(sock, 0.05) for sock in sockets]
        # Each account holds at most 4 (429 at once past that): 16 receiving, 32 waiting for a slot.
        assert answers.count(429) == 24 and answers.count(None) == 48, answers
        # Everyone else is served at once while the rest stay stalled.
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
        listed = server.call("GET", f"/api/v1/collections/{mine}/textures", honest, timeout=10)
        assert listed.status_code == 200, listed.text
        assert server.login("hana")
        with concurrent.futures.ThreadPoolExecutor(30) as pool:  # more than the old 40-thread pool's rest
            pages = list(pool.map(lambda _: server.call("GET", "/api/v1/collections", honest, timeout=10)
                                  .status_code, range(60)))
        assert set(pages) == {200}
        # The waiting ones get 503 + Retry-After once they waited their 10 s, the 16 stay on their clock.
        time.sleep(11)
        late = [status_of(sock, 0.5) for sock, answer in zip(sockets, answers, strict=True) if answer is None]
        assert sorted(late, key=str) == [503] * 32 + [None] * 16, late
    finally:
        for sock in sockets:
            sock.close()
    # Once the stalls are gone the slots are free again: an honest upload goes through.
    image = write_image(tmp_path / "ok.png").read_bytes()
    made = server.call("POST", f"/api/v1/collections/{mine}/textures", honest,
                       files={"file": ("ok.png", image)}, data={"original_path": "/art/ok.png"})
    assert made.status_code == 201, made.text


def test_one_account_gets_429_with_retry_after_past_its_upload_cap(server):
    token = server.account("mallory")
    target = server.collection(token, "Bait")
    sockets = [stall(server, token, target) for _ in range(4)]
    try:
        time.sleep(0.5)
        assert [status_of(sock, 0.2) for sock in sockets] == [None] * 4
        fifth = server.call("POST", f"/api/v1/collections/{target}/textures", token,
                            files={"file": ("a.png", b"\x89PNG")}, data={"original_path": "/a.png"})
        assert fifth.status_code == 429
        assert fifth.json()["code"] == "throttled" and int(fifth.headers["Retry-After"]) > 0
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture
def quick_server(tmp_path):
    env = {"VAULT_BODY_IDLE_TIMEOUT_S": "1", "VAULT_BODY_TIMEOUT_S": "4"}
    with AbuseServer(tmp_path, env=env) as live:
        yield live


def test_a_stalled_upload_is_cut_off_with_408_and_frees_its_slot(quick_server):
    token = quick_server.account("mallory")
    target = quick_server.collection(token, "Bait")
    sockets = [stall(quick_server, token, target) for _ in range(4)]
    try:
        statuses = [status_of(sock, 15) for sock in sockets]
        assert statuses == [408] * 4
    finally:
        for sock in sockets:
            sock.close()
    with quick_server.call("GET", f"/api/v1/collections/{target}/textures", token) as listed:
        assert listed.json()["items"] == []  # nothing half-stored
    again = stall(quick_server, token, target)  # the slots were given back
    try:
        assert status_of(again, 15) == 408
    finally:
        again.close()


def test_a_slow_loris_upload_is_cut_off_by_the_whole_body_timeout(quick_server):
    token = quick_server.account("mallory")
    target = quick_server.collection(token, "Bait")
    sock = socket.create_connection(("127.0.0.1", quick_server.port), timeout=30)
    head, body = upload_head(quick_server, token, target)
    sock.sendall(head + body)
    started, answer = time.monotonic(), None
    try:
        while answer is None and time.monotonic() - started < 20:
            sock.sendall(b"x")  # a byte every half second: never idle for the 1 s idle timeout
            answer = status_of(sock, 0.5)
    finally:
        sock.close()
    assert answer == 408


def test_a_stalled_json_body_is_cut_off_with_408(quick_server):
    token = quick_server.account("mallory")
    sock = socket.create_connection(("127.0.0.1", quick_server.port), timeout=30)
    try:
        sock.sendall((f"POST /api/v1/collections HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                      "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"name\": ").encode())
        assert status_of(sock, 15) == 408
    finally:
        sock.close()


def _multipart(parts: list[tuple[str, bytes]], boundary: str = "b") -> bytes:
    out = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                   + value + b"\r\n" for name, value in parts)
    return out + f"--{boundary}--\r\n".encode()


def test_ten_thousand_form_fields_are_refused_and_cost_no_memory(server):
    """10,000 fields of 64 KiB each grew the server by 640 MB before it looked at the file."""
    token = server.account("mallory")
    target = server.collection(token, "Bait")
    before = server.rss()
    small = _multipart([("original_path", b"/a.png")] + [(f"f{i}", b"x") for i in range(10_000)])
    answer = server.call("POST", f"/api/v1/collections/{target}/textures", token, data=small,
                         headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 413 and "parts" in answer.json()["message"]
    big = _multipart([("original_path", b"/a.png")] + [(f"f{i}", b"x" * 60_000) for i in range(200)])
    answer = server.call("POST", f"/api/v1/collections/{target}/textures", token, data=big,
                         headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 413 and "together" in answer.json()["message"]
    assert server.rss() - before < 40 * MIB


def test_a_huge_part_header_is_refused(server):
    """python-multipart caps part headers (4 KiB, 8 of them): this keeps an upgrade from losing it."""
    token = server.account("mallory")
    target = server.collection(token, "Bait")
    body = (b'--b\r\nContent-Disposition: form-data; name="original_path"\r\nX-Pad: ' + b"p" * 5 * MIB
            + b"\r\n\r\n/a.png\r\n--b--\r\n")
    answer = server.call("POST", f"/api/v1/collections/{target}/textures", token, data=body,
                         headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 400 and "malformed multipart" in answer.json()["message"]


def test_a_client_vanishing_mid_upload_is_one_log_line(server):
    token = server.account("mallory")
    target = server.collection(token, "Bait")
    for _ in range(3):
        sock = stall(server, token, target)
        sock.sendall(b"\x00" * 100_000)
        sock.close()
    time.sleep(1.0)
    log = server.log_text()
    assert "Traceback" not in log, log
    lines = [line for line in log.splitlines() if "went away mid-upload" in line]
    assert len(lines) == 3, log
    assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
