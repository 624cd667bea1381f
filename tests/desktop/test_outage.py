"""A server outage as an artist meets it: noticed within seconds while idle, F5 keeps what is shown."""

from __future__ import annotations

import time

import pytest
from test_remote_mode import killable_server, seed, sign_in  # noqa: F401 - a fixture

from vault_desktop.main_window import MainWindow

pytestmark = pytest.mark.slow


def test_an_idle_window_notices_the_outage_and_f5_keeps_the_grid(qtbot, killable_server, tmp_path):  # noqa: F811
    server = killable_server
    seed(server, tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    sign_in(qtbot, window, server)
    qtbot.waitUntil(lambda: window.grid_model.loaded_count() == 3, timeout=10_000)
    first = window.grid_model.row_at(1).texture_id
    window.select_texture(first)
    qtbot.waitUntil(lambda: getattr(window.current_texture(), "id", None) == first, timeout=10_000)
    counted = window.count_label.text()

    server.kill()
    killed = time.monotonic()
    qtbot.waitUntil(window.banner.isVisible, timeout=8_000)  # nobody clicked anything
    noticed = time.monotonic() - killed
    print(f"outage noticed after {noticed:.1f} s of idling")
    assert "Offline — showing what was cached at" in window.banner.text()  # a server opens with its copy

    window.refresh_collections()  # F5
    window.refresh_textures()
    qtbot.wait(2500)  # the listing fails (with the transport's retries) meanwhile
    assert window.grid_model.rowCount() == 3 and window.count_label.text() == counted == "3 textures"
    assert window.sidebar.model.rowCount() == 1
    assert window.grid.current_texture_id() == first
    assert getattr(window.current_texture(), "id", None) == first  # not "Select a texture"

    server.start()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=20_000)
    qtbot.waitUntil(lambda: window.grid.current_texture_id() == first, timeout=10_000)
