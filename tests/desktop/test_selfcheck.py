"""``texture-vault --selfcheck``: exit 0 when this installation can import and thumbnail an image,
nonzero with the reason when it cannot. (scripts/build-installer.sh runs the same in the bundle.)"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from vault_desktop import app, selfcheck

ROOT = Path(__file__).resolve().parents[2]


def test_selfcheck_passes_through_the_app_entry_point(capsys):
    assert app.main(["--selfcheck"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("selfcheck ok: imported PNG 128x96, thumbnail JPEG 128x96, viewer decode RGB in ")
    assert len(out.splitlines()) == 1


def test_selfcheck_fails_with_the_reason_when_no_vault_can_be_made(capsys, monkeypatch, tmp_path):
    not_a_folder = tmp_path / "occupied"
    not_a_folder.write_text("a file where the temporary folder should go")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))

    assert selfcheck.main() == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("selfcheck FAILED: ") and "occupied" in err


def test_selfcheck_runs_headless_in_a_fresh_process(tmp_path):
    """As an installed app runs it: a new interpreter, no display, no Qt application."""
    result = subprocess.run(
        [sys.executable, "-m", "vault_desktop.app", "--selfcheck"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TMPDIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("selfcheck ok: ")
    assert not list(tmp_path.glob("texture-vault-selfcheck-*"))  # it cleans up after itself
