"""Fixtures the upload and sharing tests share: lanes and a live server.

Test modules import them by name (``from test_shared_fixtures import lanes``), which makes them
fixtures there; this module has no tests of its own.
"""

from __future__ import annotations

import pytest
from live_server import LiveServer

from vault_desktop.tasks import Lanes


@pytest.fixture
def lanes(qapp):
    """The app's two lanes (parallel reads, one ordered write lane), drained after the test."""
    lanes = Lanes()
    yield lanes
    lanes.wait(20_000)
    lanes.deleteLater()


@pytest.fixture
def server(tmp_path):
    """A real server on 127.0.0.1 in a thread, with an admin account named root."""
    server = LiveServer(tmp_path / "server").start()
    server.add_user("root", admin=True)
    yield server
    server.stop()
