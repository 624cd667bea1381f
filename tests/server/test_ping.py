"""store.ping(): the desktop heartbeat's question "is the server there?", answered quickly."""

from __future__ import annotations

import time

import pytest
from live_server import LiveServer

from server_api.core.errors import VaultError


def test_ping_answers_and_a_killed_server_is_unavailable(tmp_path):
    server = LiveServer(tmp_path / "server", subprocess=True).start()
    try:
        server.add_user("root", admin=True)
        store = server.store(server.add_user("rita"))
        store.ping()
        server.kill()
        started = time.monotonic()
        with pytest.raises(VaultError) as err:
            store.ping()
        took = time.monotonic() - started
        assert err.value.code == "unavailable" and server.url in err.value.message
        print(f"ping of a killed server answered in {took:.2f} s")  # figures, never asserted
        store.close()
    finally:
        server.stop()


def test_a_local_vault_pings(local_store):
    local_store.ping()
