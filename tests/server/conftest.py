"""Server tests: real argon2id at its cheapest cost (the contract suite does the same)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2():
    """Real argon2id at the smallest cost, so signing in many test users stays fast."""
    from argon2 import PasswordHasher

    from server_api import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    original = passwords._hasher
    passwords._hasher = lambda: cheap
    passwords._dummy_hash.cache_clear()
    yield
    passwords._hasher = original
    passwords._dummy_hash.cache_clear()
