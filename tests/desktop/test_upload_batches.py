"""The upload pane sends small files the way `vault import` does (issue 9): in batches through
VaultStore.import_many, each with its row's own idempotency key; a big file alone, streamed."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import os

import pytest
from corpus import write_image
from PIL import Image
from test_shared_fixtures import lanes  # noqa: F401 - a fixture

from server_api.store.import_items import MAX_BATCHED_FILE
from vault_desktop.upload.queue import UploadQueue
from vault_desktop.upload.rows import DONE


@pytest.fixture
def queue(qtbot, lanes, local_store):
    made = UploadQueue(lanes, read_slots=4)
    made.set_store(local_store)
    return made


def calls_of(monkeypatch, store, name: str) -> list[int]:
    """How many files each call of the store's real ``name`` carried (it still runs)."""
    seen: list[int] = []
    real = getattr(store, name)

    def counted(collection_id, items, *args, **kwargs):
        seen.append(len(items) if isinstance(items, list) else 1)
        return real(collection_id, items, *args, **kwargs)

    monkeypatch.setattr(store, name, counted)
    return seen


def test_small_files_go_in_batches_and_a_big_one_alone(qtbot, queue, local_store, tmp_path, monkeypatch):
    collection = local_store.create_collection("Drop")
    for i in range(12):
        write_image(tmp_path / "drop" / f"t{i:02}.png", size=(16, 16), seed=i)
    big = tmp_path / "drop" / "z_big.png"
    Image.frombytes("RGB", (1300, 1300), os.urandom(1300 * 1300 * 3)).save(big)
    assert big.stat().st_size > MAX_BATCHED_FILE
    batches = calls_of(monkeypatch, local_store, "import_many")
    singles = calls_of(monkeypatch, local_store, "import_source")

    queue.add_paths([str(tmp_path / "drop")], collection.id)
    qtbot.waitUntil(lambda: queue.pending_count() == 0, timeout=60_000)

    assert [r.state for r in queue.model.rows()] == [DONE] * 13
    assert sum(batches) == 12 and singles == [1]  # every small file batched, the big one streamed
    assert local_store.count_textures(collection.id) == 13
    keys = [r.upload_key() for r in queue.model.rows()]
    assert len(set(keys)) == 13  # each row its own idempotency key
