"""Server tests: cheap argon2 (the contract suite does the same) and the PostgreSQL helper."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))  # tests/: live_server, postgres, corpus


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
