"""Login abuse over real HTTP (issue 10): parallel guesses, unknown names, floods, several instances.

Before: 40 parallel wrong passwords on one account got 29 checks (the lock was read before hashing and
written after); unknown names never locked under bursts (a counter in one process's memory); a flood
of argon2 checks took the server from 86 MB to 2,340 MB.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from live_server import PASSWORD, LiveServer
from requests.adapters import HTTPAdapter

from server_api.core.errors import VaultError
from server_api.store import passwords
from server_api.store.sql import auth, throttle

API = "/api/v1"
GUESSES = 40


@pytest.fixture
def roomy_queue():
    """A hashing line long enough for every guess, so only the lockout refuses them."""
    old = passwords.use_hashing_queue(passwords.HashingQueue(workers=GUESSES, waiting=0))
    yield
    passwords.use_hashing_queue(old)


@pytest.fixture
def checks(monkeypatch):
    """Every argon2 verification the server runs, counted."""
    made: list[str | None] = []
    lock = threading.Lock()
    real = passwords.verify_password

    def counting(password_hash, password):
        with lock:
            made.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    return made


def login(url: str, username: str, password: str) -> requests.Response:
    return requests.post(f"{url}{API}/auth/login", json={"username": username, "password": password},
                         timeout=60)


def burst(urls: list[str], username: str, count: int = GUESSES) -> Counter:
    """``count`` wrong passwords at once, spread over ``urls``: how many got each answer."""
    start = threading.Barrier(count)

    def guess(i: int) -> tuple[int, str]:
        start.wait()
        answer = login(urls[i % len(urls)], username, f"wrong guess {i}")
        return answer.status_code, re.sub(r"\d+", "N", answer.json()["message"])  # "try again in N s"

    with ThreadPoolExecutor(count) as pool:
        return Counter(pool.map(guess, range(count)))


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path / "server") as live:
        live.add_user("bob", admin=True)
        yield live


@pytest.mark.parametrize("username", ["bob", "nobody-at-all"])
def test_forty_parallel_guesses_get_five_checks_and_lock_the_name(server, roomy_queue, checks, username):
    answers = burst([server.url], username)
    wrong = answers[(401, "wrong username or password")]
    assert wrong == throttle.MAX_FAILURES and len(checks) == throttle.MAX_FAILURES
    assert answers[(429, "too many failed logins; try again in N s")] == GUESSES - throttle.MAX_FAILURES
    locked = login(server.url, username, PASSWORD)  # even the right password waits out the lock
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 25


def test_real_and_unknown_names_answer_a_burst_alike(server, roomy_queue):
    assert burst([server.url], "bob") == burst([server.url], "nobody-at-all")


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_two_instances_over_one_database_share_the_count(tmp_path, roomy_queue, checks, database):
    url = None
    if database == "postgres":
        from postgres import fresh_database_url

        url = fresh_database_url()
    with LiveServer(tmp_path / "data", database_url=url) as one, \
            LiveServer(tmp_path / "data", database_url=url) as two:
        one.add_user("bob", admin=True)
        checks.clear()  # the sign-in add_user made
        answers = burst([one.url, two.url], "bob")
        assert answers[(401, "wrong username or password")] == throttle.MAX_FAILURES
        assert len(checks) == throttle.MAX_FAILURES
        assert login(two.url, "bob", PASSWORD).status_code == 429
        assert login(one.url, "bob", PASSWORD).status_code == 429


def test_a_login_flood_is_turned_away_with_retry_after_and_memory_stays_bounded(tmp_path, monkeypatch):
    """Real argon2id (64 MiB a check) in a real `vault-server serve`: 40 clients on one address
    sending made-up names, while a user on another address signs in."""
    live = LiveServer(tmp_path / "server", subprocess=True)
    with monkeypatch.context() as server_env:  # the server's settings; this process keeps its own
        server_env.setenv("VAULT_PASSWORD_HASH", "default")
        server_env.setenv("VAULT_PASSWORD_WORKERS", "2")
        server_env.setenv("VAULT_PASSWORD_QUEUE", "4")
        live.start()
    try:
        live.add_user("bob", admin=True)
        start = threading.Barrier(GUESSES + 1)

        def flood(i: int) -> list[requests.Response]:
            start.wait()
            return [login(live.url, f"ghost-{i}-{n}", "a wrong password") for n in range(3)]

        def honest() -> requests.Response:
            session = requests.Session()
            session.mount("http://", FromAddress("127.0.0.2"))  # another machine, to the server
            start.wait()
            for _ in range(20):
                answer = session.post(f"{live.url}{API}/auth/login", timeout=60,
                                      json={"username": "bob", "password": PASSWORD})
                if answer.status_code != 429:
                    return answer
                time.sleep(int(answer.headers["Retry-After"]))
            return answer

        with ThreadPoolExecutor(GUESSES + 1) as pool:
            user = pool.submit(honest)
            answers = [a for batch in pool.map(flood, range(GUESSES)) for a in batch]
            user_answer = user.result()
        peak_mb = _peak_rss_mb(live.process.pid)
    finally:
        live.stop()
    statuses = Counter(a.status_code for a in answers)
    busy = [a for a in answers if a.status_code == 429]
    print(f"\nflood answers {dict(statuses)}, server peak RSS {peak_mb:.0f} MB")
    assert set(statuses) <= {401, 429} and busy and statuses[401] >= 2
    assert all(int(a.headers["Retry-After"]) >= 1 and "busy" in a.json()["message"] for a in busy)
    assert peak_mb < 600  # 2 checks at 64 MiB plus the server; unbounded it was 2,340 MB
    assert user_answer.status_code == 200  # the flood's address holds 2 places; others still get in


class FromAddress(HTTPAdapter):
    """Connections from another loopback address."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


@pytest.mark.parametrize(("clients", "admitted_at_most"), [(10, 5), (1, 2)])
def test_the_hashing_queue_runs_one_per_core_and_turns_the_rest_away(clients, admitted_at_most):
    """10 callers at once on 2 cores + 3 places in line: 2 hash at a time, at most 5 get a turn,
    the rest are refused at once with a Retry-After; from one client, at most 2 (its share)."""
    queue = passwords.HashingQueue(workers=2, waiting=3)
    start, lock = threading.Barrier(10), threading.Lock()
    inside, peak, turns, refused = [0], [0], [], []

    def caller(i: int) -> None:
        start.wait()
        try:
            with queue.turn(f"client-{i % clients}"):
                with lock:
                    inside[0] += 1
                    peak[0] = max(peak[0], inside[0])
                time.sleep(0.2)  # a hash's worth of work; the others arrive meanwhile
                with lock:
                    inside[0] -= 1
                    turns.append(i)
        except VaultError as exc:
            refused.append(exc)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] <= 2 and 1 <= len(turns) <= admitted_at_most and len(turns) + len(refused) == 10
    assert all(e.code == "throttled" and e.retry_after >= 1 for e in refused)
    with queue.turn("client-0"):  # everything given back: the queue is empty again
        pass
