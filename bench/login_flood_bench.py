"""Login flood benchmark (issue 10): what a flood of sign-ins costs the server and its honest users.

    python bench/login_flood_bench.py [--attackers 40] [--honest 5] [--seconds 15] [--workers 1]

A real `vault-server serve` on 127.0.0.1 with the production argon2id parameters (64 MiB, ~0.2 s a
check). --attackers threads on 127.0.0.1 send sign-ins with made-up usernames back to back for
--seconds (each a new name, so no lockout helps: only the hashing queue does). Meanwhile --honest
clients, each from its own loopback address (127.0.0.2, .3, …), sign in (again after every
Retry-After) and list their collections every 0.5 s. Printed: the attackers'
answers, the honest sign-in time and listing latency (p50/p95/max), errors, and the server's RSS
(all its processes) before and at its peak. Loopback only; every loop stops by itself.
Before the hashing queue (issue 10): RSS 86 -> 2,340 MB with 40 attackers, other requests up to 4.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from server_bench import (  # one way to start a bench server (the script's folder is on sys.path)
    free_port,
    launch_server,
)

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench password 1234"
API = "/api/v1"


def start_server(data: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VAULT_PASSWORD_HASH": "default"}
    subprocess.run([sys.executable, "-m", "server_api.cli.server", "create-user", "lead", "--admin",
                    "--data", str(data)], input=PASSWORD + "\n", text=True, env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return launch_server(data, port, workers, env)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (uvicorn workers), MB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


class FromAddress(HTTPAdapter):
    """Connections from another loopback address: another machine, as far as the server can tell."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def login(url: str, username: str, password: str, session: requests.Session) -> requests.Response:
    return session.post(f"{url}{API}/auth/login", json={"username": username, "password": password},
                        timeout=30)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run(url: str, attackers: int, honest: int, seconds: float, pid: int) -> None:
    stop = threading.Event()
    attack_answers: Counter = Counter()
    sign_in_times: list[float] = []
    listing_times: list[float] = []
    errors: list[str] = []
    refusals: list[int] = []  # honest sign-ins told to come back later (429)
    lock = threading.Lock()
    rss = [tree_rss_mb(pid)]

    def attacker(i: int) -> None:
        session, n = requests.Session(), 0
        while not stop.is_set():
            try:
                status = login(url, f"ghost-{i}-{n}", "not the password", session).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            with lock:
                attack_answers[status] += 1
            n += 1

    def honest_client(i: int) -> None:
        session = requests.Session()  # each honest user on a machine of their own
        session.mount("http://", FromAddress(f"127.0.0.{2 + i}"))
        while not stop.is_set():
            started = time.perf_counter()
            while not stop.is_set():  # sign in, waiting out each Retry-After like a polite client
                answer = login(url, "lead", PASSWORD, session)
                if answer.status_code != 429:
                    break
                with lock:
                    refusals.append(1)
                time.sleep(float(answer.headers.get("Retry-After", "1")))
            if stop.is_set():
                return
            if answer.status_code != 200:
                errors.append(f"sign-in {answer.status_code}")
                continue
            with lock:
                sign_in_times.append(time.perf_counter() - started)
            headers = {"Authorization": f"Bearer {answer.json()['token']}"}
            for _ in range(6):  # a few listings per sign-in, 0.5 s apart
                if stop.wait(0.5):
                    return
                t0 = time.perf_counter()
                try:
                    listed = session.get(f"{url}{API}/collections", headers=headers, timeout=30)
                    ok = listed.status_code == 200
                except requests.RequestException:
                    ok = False
                with lock:
                    listing_times.append(time.perf_counter() - t0)
                    if not ok:
                        errors.append("listing")

    threads = [threading.Thread(target=attacker, args=(i,)) for i in range(attackers)]
    threads += [threading.Thread(target=honest_client, args=(i,)) for i in range(honest)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.2)
        rss.append(tree_rss_mb(pid))
    stop.set()
    for t in threads:
        t.join(timeout=60)

    print(f"attackers: {attackers} threads for {seconds:.0f} s -> {dict(attack_answers)}")
    print(f"honest sign-ins: {len(sign_in_times)}, p50 {statistics.median(sign_in_times or [0]):.2f} s, "
          f"p95 {percentile(sign_in_times, 0.95):.2f} s, max {max(sign_in_times or [0]):.2f} s "
          f"(told to retry {len(refusals)} times)")
    ms = [t * 1000 for t in listing_times]
    print(f"honest listings: {len(ms)}, p50 {statistics.median(ms or [0]):.0f} ms, "
          f"p95 {percentile(ms, 0.95):.0f} ms, max {max(ms or [0]):.0f} ms; errors {len(errors)}")
    print(f"server RSS: {rss[0]:.0f} MB before, peak {max(rss):.0f} MB during the flood")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attackers", type=int, default=40)
    parser.add_argument("--honest", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="login-flood-") as folder:
        port = free_port()
        process = start_server(Path(folder), port, args.workers)
        try:
            run(f"http://127.0.0.1:{port}", args.attackers, args.honest, args.seconds, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
