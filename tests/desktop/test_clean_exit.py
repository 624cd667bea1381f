"""The app exits without OpenImageIO's "nanobind: leaked …" report. The window freezes the garbage
collector (gc_pauses.settle); frozen objects escaped the interpreter's last collection, so nanobind
saw OpenImageIO's objects alive at exit. A real process builds the main window, shows a decoded
EXR's module in use, and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
from PySide6.QtWidgets import QApplication
app = QApplication([])
from vault_desktop.main_window import MainWindow
from server_api.imaging.pixels import decode_pixels
window = MainWindow()
window.show()
app.processEvents()
print(decode_pixels(EXR).width)
window.close()
"""


def test_the_app_exits_without_a_nanobind_leak_report(tmp_path):
    import texture_files as tf

    exr = tf.save_exr(tmp_path / "a.exr", tf.seamless(32, 16), "half")
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-c", f"EXR = {str(exr)!r}\n" + SCRIPT], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "32"
    assert "nanobind" not in out.stderr and "pending error" not in out.stderr, out.stderr
