"""A `vault import` killed with SIGKILL part-way leaves a consistent vault; re-importing finishes the job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from corpus import write_image

from server_api.store.entities import TextureQuery
from server_api.store.sql.store import SqlVaultStore

REPO = Path(__file__).resolve().parents[2]
FILES = 60


def test_sigkill_part_way_then_fsck_is_clean_and_reimport_brings_each_file_once(tmp_path):
    vault_dir = tmp_path / "vault"
    store = SqlVaultStore.open_local(vault_dir)
    collection = store.create_collection("Big")
    drop = tmp_path / "drop"
    for i in range(FILES):
        write_image(drop / f"tex_{i:03}.png", "png_rgba", size=(384, 384), seed=i)

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server_api.cli.vault", "--vault", str(vault_dir), "import",
         "--collection", "Big",
         "--json", "--workers", "2", str(drop)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    reported = [json.loads(proc.stdout.readline()) for _ in range(5)]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert all(r["status"] == "added" for r in reported)

    landed = store.count_textures(collection.id)
    assert 5 <= landed < FILES, "the kill should come part-way through the import"
    report = store.fsck()
    assert report.ok, report.problems

    from server_api.workflows.importing import import_paths

    again = import_paths(store, collection.id, [drop])
    statuses = [r.status for r in again]
    assert statuses.count("unchanged") == landed
    assert statuses.count("added") == FILES - landed
    textures = store.list_textures(collection.id, TextureQuery(), limit=1000).items
    assert sorted(t.name for t in textures) == [f"tex_{i:03}.png" for i in range(FILES)]
    assert all(t.version_count == 1 for t in textures)
    # Whatever the killed process left half-written is garbage gc can sweep without harm.
    store.gc(temp_grace_seconds=0, blob_grace_seconds=0)
    assert os.listdir(vault_dir / "tmp") == []
    after = store.fsck()
    assert after.ok and after.unreferenced_blobs == 0 and after.versions_checked == FILES
    store.close()
