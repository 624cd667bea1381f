"""Watch folders on a local vault, with real files written in stages the way exports are written:
a half-written file is never taken, a changed file becomes a new version, an export of a whole
material makes one material version, the folder may vanish and come back; `vault watch` runs until
Ctrl+C."""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from corpus import write_image
from PIL import Image

from server_api.content.hashes import file_sha256
from server_api.workflows.watching import SettlingFiles, watch_folder

SETTLE = 0.6  # seconds; every stage below pauses for less than this


class Watch:
    """watch_folder on a thread, its reports in a queue."""

    def __init__(self, store, collection_id: int, folder: Path):
        self.reports: queue.Queue = queue.Queue()
        self.statuses: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch_folder, args=(store, collection_id, folder),
            kwargs={"stop": self.stop, "on_report": self.reports.put, "on_status": self.statuses.append,
                    "settle": SETTLE},
        )
        self.thread.start()

    def next_report(self, timeout: float = 15.0):
        return self.reports.get(timeout=timeout)

    def no_report_for(self, seconds: float) -> bool:
        try:
            self.reports.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def wait_status(self, start: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not (self.statuses and self.statuses[-1].startswith(start)):
            assert time.monotonic() < deadline, self.statuses
            time.sleep(0.05)


@pytest.fixture
def watched(local_store, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    collection = local_store.create_collection("Watched")
    watch = Watch(local_store, collection.id, folder)
    watch.wait_status("watching")
    yield local_store, collection, folder, watch
    watch.stop.set()
    watch.thread.join(timeout=10)
    assert not watch.thread.is_alive()


def png_bytes(seed: int, side: int = 192) -> bytes:
    noise = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3) if seed < 0 else
                           bytes((i * 7 + seed * 13) % 256 for i in range(side * side * 3)))
    out = io.BytesIO()
    noise.save(out, "PNG")
    return out.getvalue()


def write_in_stages(path: Path, data: bytes, stages: int = 3, pause: float = SETTLE / 2) -> None:
    """Like an exporter: open, write a part, pause, write more ... close."""
    step = len(data) // stages + 1
    with open(path, "wb") as out:
        for start in range(0, len(data), step):
            out.write(data[start : start + step])
            out.flush()
            time.sleep(pause)


def test_a_file_written_in_stages_is_taken_only_whole_and_a_change_is_a_new_version(watched):
    store, collection, folder, watch = watched
    target = folder / "wall.png"
    first = png_bytes(1)
    write_in_stages(target, first, stages=4)
    report = watch.next_report()
    assert [(r.status, r.path) for r in report.results] == [("added", str(target))]  # never 'rejected'
    texture = store.get_texture(report.results[0].texture_id)
    assert texture.current.sha256 == file_sha256(target)

    write_in_stages(target, png_bytes(2), stages=4)
    report = watch.next_report()
    assert [(r.status, r.version) for r in report.results] == [("new_version", 2)]
    assert store.get_texture(texture.id).current.sha256 == file_sha256(target)
    assert watch.no_report_for(SETTLE * 2)  # nothing more: one change, one version
    assert report.summary() == "1 new version"


def test_an_export_of_a_whole_material_makes_one_material_version(watched):
    store, collection, folder, watch = watched
    maps = [folder / f"Bricks_{role}.png" for role in ("Color", "Normal", "Roughness")]
    for i, path in enumerate(maps):  # written one after another, as Substance does
        write_in_stages(path, png_bytes(10 + i), stages=2)
    report = watch.next_report()
    assert sorted(r.status for r in report.results) == ["added"] * 3
    (material,) = report.materials
    assert (material.name, material.version, len(material.maps)) == ("Bricks", 1, 3)

    for i, path in enumerate(maps):  # the artist exports again
        write_in_stages(path, png_bytes(20 + i), stages=2)
    report = watch.next_report()
    assert sorted(r.status for r in report.results) == ["new_version"] * 3
    (material,) = report.materials
    assert (material.version, material.version_count) == (2, 2)
    assert "material 'Bricks' v2" in report.summary()
    assert watch.no_report_for(SETTLE * 2)


def test_hidden_temp_files_and_other_files_are_not_taken(watched):
    store, collection, folder, watch = watched
    (folder / ".wall.png.tmp123").write_bytes(png_bytes(3))
    (folder / "notes.txt").write_text("not a texture")
    (folder / "scene.spp").write_bytes(b"\0" * 100)
    assert watch.no_report_for(SETTLE * 3)
    os.replace(folder / ".wall.png.tmp123", folder / "wall.png")  # an atomic save lands
    report = watch.next_report()
    assert [(r.status, Path(r.path).name) for r in report.results] == [("added", "wall.png")]


def test_the_folder_vanishing_and_coming_back(watched, tmp_path):
    store, collection, folder, watch = watched
    write_image(folder / "a.png", seed=1)
    assert [r.status for r in watch.next_report().results] == ["added"]
    aside = tmp_path / "unmounted"
    os.rename(folder, aside)
    watch.wait_status("waiting for")
    write_image(aside / "b.png", seed=2)  # made while the folder was away
    write_image(aside / "a.png", seed=3)  # changed while away
    os.rename(aside, folder)
    report = watch.next_report()
    assert sorted((Path(r.path).name, r.status) for r in report.results) == [
        ("a.png", "new_version"), ("b.png", "added")]
    assert watch.statuses[-1].startswith("watching")
    write_image(folder / "c.png", seed=4)  # and the watch goes on
    assert [Path(r.path).name for r in watch.next_report().results] == ["c.png"]


def test_settling_waits_for_every_file_and_forgets_vanished_ones(tmp_path):
    a, b = write_image(tmp_path / "a.png", seed=1), write_image(tmp_path / "b.png", seed=2)
    settling = SettlingFiles(settle=1.0)
    settling.note(str(a), now=0.0)
    settling.note(str(b), now=0.5)
    assert settling.take(now=1.2) == []  # b was noted 0.7 s ago
    write_image(b, seed=3, size=(32, 32))  # b changes again
    assert settling.take(now=1.6) == []  # its size/mtime changed: the quiet starts again at 1.6
    b.unlink()
    assert settling.take(now=2.7) == [str(a)]
    assert settling.take(now=9.0) == []


def test_vault_watch_runs_until_ctrl_c(tmp_path):
    vault = tmp_path / "vault"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cli = [sys.executable, "-m", "server_api.cli.vault", "--vault", str(vault)]
    subprocess.run([*cli, "init"], check=True, env=env, capture_output=True)
    subprocess.run([*cli, "collection", "create", "Live"], check=True, env=env, capture_output=True)
    folder = tmp_path / "drop"
    folder.mkdir()
    bad = subprocess.run([*cli, "watch", "--collection", "Nope", str(folder)], env=env, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1 and "Nope" in bad.stderr
    watching = subprocess.Popen([*cli, "watch", "--collection", "Live", "--settle", str(SETTLE), "--json",
                                 str(folder)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    try:
        assert "watch: watching" in watching.stderr.readline()
        write_in_stages(folder / "floor.png", png_bytes(5))
        line = watching.stdout.readline()
        assert '"status": "added"' in line and "floor.png" in line
        watching.send_signal(signal.SIGINT)
        out, err = watching.communicate(timeout=30)
    finally:
        if watching.poll() is None:
            watching.kill()
    assert watching.returncode == 0, err
    assert "watch: stopped" in err
    listed = subprocess.run([*cli, "ls", "--collection", "Live"], env=env, capture_output=True, text=True,
                            check=True)
    assert "floor.png" in listed.stdout
