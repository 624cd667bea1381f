"""Desktop fixtures: a real MainWindow over a real local vault, and a way to answer its dialogs."""

from __future__ import annotations

import pytest

# The offscreen platform cannot size native windows, raise them or grab the keyboard; it says so
# when a QMainWindow shows or a popup (the filter box's completion) opens. Those are the test
# platform's limits, not the app's, so only these messages are exempt from qt_log_level_fail.
OFFSCREEN_ONLY = "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/desktop" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_ONLY))


@pytest.fixture
def window(qtbot, local_store):
    """The main window showing ``local_store`` (not yet on any collection until it loads)."""
    from vault_desktop.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.set_store(local_store)
    yield w
    w.lanes.wait(10_000)


@pytest.fixture
def server(tmp_path):
    """A real server on 127.0.0.1, in a thread (cheap to start)."""
    from live_server import LiveServer

    server = LiveServer(tmp_path / "server").start()
    yield server
    server.stop()
