"""argon2id password hashing: the only place passwords are hashed or checked.

Every hash runs in a turn of the process's ``HashingQueue``: about one hash per core at a time
(argon2id's default costs 64 MiB and ~0.2 s of CPU each), a bounded line of callers waiting behind
them, and anyone past the line refused at once with "throttled" and a Retry-After. A flood of sign-ins
then costs a fixed amount of memory and leaves threads for everyone else (issue 10: 40 parallel
argon2 checks took a server from 86 MB to 2.3 GB). One client (an address) holds at most one place
per core in the line, so a flood from one machine cannot keep everyone else out.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from server_api.core.errors import VaultError
from server_api.core.settings import Settings, settings
from server_api.store.password_rules import check_password_rules


class HashingQueue:
    """At most ``workers`` hashes at once, at most ``waiting`` callers queued behind them, and at
    most ``workers`` places held by any one client."""

    def __init__(self, workers: int, waiting: int):
        if workers < 1 or waiting < 0:
            raise VaultError("invalid_argument", "the hashing queue needs >= 1 worker and >= 0 waiting")
        self.workers, self.waiting = workers, waiting
        self._cores = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._admitted = 0  # running + waiting
        self._by_client: Counter[str] = Counter()
        self._seconds_per_hash = 0.2  # a running estimate, for Retry-After

    @contextmanager
    def turn(self, client: str = "") -> Iterator[None]:
        """Wait for a core (the caller may hash inside); "throttled" at once when the line is full
        or ``client`` (an address; "" for callers that are no client) already holds its share."""
        with self._lock:
            if self._admitted >= self.workers + self.waiting or (
                    client and self._by_client[client] >= self.workers):
                raise VaultError("throttled", "the server is busy checking other passwords; try again "
                                 f"in {self.retry_after()} s", retry_after=self.retry_after())
            self._admitted += 1
            self._by_client[client] += 1
        try:
            with self._cores:
                started = time.perf_counter()
                yield
                spent = time.perf_counter() - started
            with self._lock:
                self._seconds_per_hash = 0.8 * self._seconds_per_hash + 0.2 * spent
        finally:
            with self._lock:
                self._admitted -= 1
                self._by_client[client] -= 1
                if not self._by_client[client]:
                    del self._by_client[client]

    def retry_after(self) -> int:
        """Whole seconds until the line now queued has been served (at least 1)."""
        return max(1, math.ceil(self._admitted * self._seconds_per_hash / self.workers))

    @classmethod
    def from_settings(cls, config: Settings) -> HashingQueue:
        workers = config.password_workers or os.cpu_count() or 1
        return cls(workers, config.password_queue)


_queue: HashingQueue | None = None
_queue_lock = threading.Lock()


def hashing_queue() -> HashingQueue:
    """The process's queue: every store in the process shares the same cores."""
    global _queue
    with _queue_lock:
        if _queue is None:
            _queue = HashingQueue.from_settings(settings())
        return _queue


def use_hashing_queue(queue: HashingQueue) -> HashingQueue:
    """Replace the process's queue (a server started with other settings; tests); returns the old one."""
    global _queue
    with _queue_lock:
        old, _queue = _queue, queue
    return old


def _hasher():
    return _hasher_for(settings().password_hash)


@lru_cache(maxsize=2)
def _hasher_for(profile: str):
    from argon2 import PasswordHasher, profiles  # server extra; a local vault never needs it

    # The test suite creates hundreds of accounts: VAULT_PASSWORD_HASH=cheap keeps argon2id but with
    # its smallest parameters. Real deployments never set it and get the library's recommended ones.
    if profile == "cheap":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


def hash_password(password: str, *, username: str = "") -> str:
    """The argon2id hash of a password that passes the rules (password_rules); waits for a turn."""
    check_password_rules(password, username=username)
    with hashing_queue().turn():
        return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. With no hash, still spends the same time (no user oracle).

    Call it inside ``hashing_queue().turn()``: the caller decides what the turn also covers.
    """
    from argon2.exceptions import InvalidHashError, VerificationError

    target = password_hash or _dummy_hash(settings().password_hash)
    try:
        ok = _hasher().verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=2)
def _dummy_hash(profile: str) -> str:
    return _hasher_for(profile).hash("not-a-real-password-used-for-timing")
