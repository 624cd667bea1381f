"""Start-up opens a vault with no dialog; settings and themes persist; the None-refcount trap stays shut."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from server_api.core import appdirs
from vault_desktop import app as desktop_app
from vault_desktop.settings import Settings
from vault_desktop.theme import THEMES, stylesheet


def test_first_start_opens_the_default_local_vault(qtbot):
    window = desktop_app.create_window(desktop_app.start_uri(None, Settings().last_vault()))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.store is not None, timeout=10_000)
    assert window.store.kind == "local"
    assert (appdirs.default_vault_path() / "vault.db").exists()
    assert QApplication.activeModalWidget() is None  # nothing in the way
    assert Settings().last_vault() == str(appdirs.default_vault_path())
    window.close()


def test_the_next_start_opens_the_last_vault_and_vault_flag_wins(qtbot, tmp_path):
    Settings().add_recent_vault(str(tmp_path / "studio_vault"))
    assert desktop_app.start_uri(None, Settings().last_vault()) == str(tmp_path / "studio_vault")
    assert desktop_app.start_uri("http://vault.local:8765", Settings().last_vault()) == "http://vault.local:8765"
    window = desktop_app.create_window(desktop_app.start_uri(None, Settings().last_vault()))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.store is not None, timeout=10_000)
    assert window.store.uri == str((tmp_path / "studio_vault").resolve())


def test_a_vault_that_cannot_open_is_reported_not_fatal(qtbot, tmp_path):
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    window = desktop_app.create_window(str(not_a_folder))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: getattr(window, "last_message", None) is not None, timeout=10_000)
    assert str(not_a_folder) in window.last_message.text()
    assert window.store is None


def test_settings_round_trip(qtbot):
    s = Settings()
    s.set_zoom(999)
    s.set_theme("light")
    for uri in ("/a", "/b", "/a"):
        s.add_recent_vault(uri)
    s.remember_server("http://srv:8765", "alice", "tok")
    s.sync()
    again = Settings()
    assert again.zoom() == 512  # clamped to the slider's range
    assert again.theme() == "light"
    assert again.recent_vaults() == ["/a", "/b"]
    assert again.server_login("http://srv:8765") == ("alice", "tok")
    assert again.servers() == [("http://srv:8765", "alice")]
    assert oct(again.path.stat().st_mode & 0o777) == "0o600"  # the token is a secret


def test_both_themes_load_from_the_resources_package():
    for name in THEMES:
        sheet = stylesheet(name)
        assert "QListView" in sheet and "#banner" in sheet
    with pytest.raises(ValueError, match="unknown theme 'neon'"):
        stylesheet("neon")


def test_closing_remembers_geometry_and_zoom(qtbot):
    window = desktop_app.create_window(str(appdirs.default_vault_path()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.store is not None, timeout=10_000)
    window.grid.set_zoom(224)
    assert Settings().geometry() is None
    window.close()
    # (the offscreen screen is 800 px, so Qt would fit a restored window to it: compare the bytes)
    assert Settings().geometry() == window.saveGeometry()
    assert Settings().zoom() == 224
    again = desktop_app.create_window(str(appdirs.default_vault_path()))
    qtbot.addWidget(again)
    assert again.grid.zoom() == 224


def test_selfcheck_flag_runs_the_selfcheck(capsys):
    assert desktop_app.main(["--selfcheck"]) == 0
    assert "selfcheck ok" in capsys.readouterr().out


def test_many_calls_of_none_returning_qt_methods_do_not_abort(qapp):
    """docs/ARCHITECTURE.md trap: PySide6 6.12 on 3.11 drops a None reference per call and aborts the process.
    It matters on 3.11 (pyproject pins PySide6 < 6.12 there; lifting the pin fails or aborts this
    test); on 3.12+ None is immortal and the count never moves."""
    label = QLabel()
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setObjectName(f"n{i % 7}")  # returns None
        label.update()
    assert sys.getrefcount(None) >= before - 100
    label.deleteLater()


def test_an_unexpected_error_shows_a_dialog_with_the_traceback(qtbot, capsys):
    from desktop_helpers import answer_next_dialog

    from vault_desktop.dialogs.error_dialog import show_exception

    seen: list[str] = []
    answer_next_dialog("OK", seen)
    try:
        raise KeyError("texture 42")
    except KeyError as exc:
        box = show_exception(type(exc), exc, exc.__traceback__)
    assert "KeyError" in seen[0] and "texture 42" in seen[0]
    assert "Traceback" in box.detailedText()
    assert "KeyError" in capsys.readouterr().err  # the terminal gets it too
