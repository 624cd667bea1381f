"""Retention on a real local vault: one statement per import batch (none without a policy); gc frees
a trashed version's bytes only once no version row anywhere names them; a policy that fails half-way
leaves nothing half-done."""

from __future__ import annotations

import pytest
from corpus import write_image
from sqlalchemy import event, select

from server_api.core.errors import VaultError
from server_api.store.sql.convert import V
from server_api.store.sql.store import SqlVaultStore


@pytest.fixture
def vault(tmp_path):
    store = SqlVaultStore.open_local(tmp_path / "vault")
    yield store
    store.close()


def _gc(store):
    return store.gc(temp_grace_seconds=0, blob_grace_seconds=0)


def test_gc_reclaims_bytes_only_when_no_version_anywhere_uses_them(vault, tmp_path):
    shared = write_image(tmp_path / "shared.png", seed=1)
    own = write_image(tmp_path / "own.png", seed=2)
    a = vault.create_collection("A")
    b = vault.create_collection("B")
    texture = vault.add_texture(a.id, str(shared), original_path="/a/rock.png")
    first = texture.current
    only_a = vault.add_version(texture.id, str(own))
    vault.add_version(texture.id, str(write_image(tmp_path / "v3.png", seed=3)))
    vault.add_texture(b.id, str(shared), original_path="/b/rock.png")  # the same bytes in B

    assert vault.set_retention(a.id, 1).versions == 2
    _gc(vault)  # trashed, not purged: their rows still name the bytes
    assert vault.content.stat(first.sha256) and vault.content.stat(only_a.sha256)

    assert vault.empty_version_trash(a.id) == 2
    _gc(vault)
    assert vault.content.stat(only_a.sha256) is None  # nothing names it any more: gone
    assert vault.content.stat(first.sha256) == first.byte_size  # B's version still names it
    with vault.open_version(vault.find_texture(b.id, original_path="/b/rock.png").current.id) as f:
        assert len(f.read()) == first.byte_size


def test_a_failing_apply_leaves_the_policy_and_versions_as_they_were(vault, tmp_path):
    collection = vault.create_collection("A")
    texture = vault.add_texture(collection.id, str(write_image(tmp_path / "a.png", seed=1)),
                                original_path="/a.png")
    for n in range(2, 5):
        vault.add_version(texture.id, str(write_image(tmp_path / f"v{n}.png", seed=n)))
    events_before = vault.list_events(collection.id).items

    def fail_on_the_trash_update(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE IMAGE_VERSION SET TRASHED_AT"):
            raise OSError("disk gone")  # the database connection dropping mid-apply

    event.listen(vault.engine, "before_cursor_execute", fail_on_the_trash_update)
    try:
        with pytest.raises((OSError, VaultError)):
            vault.set_retention(collection.id, 1)
    finally:
        event.remove(vault.engine, "before_cursor_execute", fail_on_the_trash_update)

    assert vault.retention(collection.id).keep_last is None
    assert [v.number for v in vault.list_versions(texture.id)] == [4, 3, 2, 1]
    with vault._read() as s:
        assert s.execute(select(V.c.id).where(V.c.trashed_at.is_not(None))).all() == []
    assert vault.list_events(collection.id).items == events_before
    assert vault.set_retention(collection.id, 1).versions == 3  # and it works once the cause is gone


def _statements(engine):
    """(retention UPDATEs, version INSERTs = write batches) sent while it listens; and a stop."""
    retention: list[str] = []
    batches: list[str] = []

    def count(conn, cursor, statement, *args):
        said = statement.lstrip().upper()
        if said.startswith("UPDATE IMAGE_VERSION SET TRASHED_AT"):
            retention.append(statement)
        elif said.startswith("INSERT INTO IMAGE_VERSION"):
            batches.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    return retention, batches, lambda: event.remove(engine, "before_cursor_execute", count)


def test_a_batch_import_sends_one_retention_statement_and_none_without_a_policy(vault, tmp_path):
    from server_api.workflows.importing import import_paths

    def files(folder, seed):
        return [write_image(tmp_path / folder / f"m{i}.png", seed=seed + i) for i in range(10)]

    plain = vault.create_collection("Plain")
    kept = vault.create_collection("Kept")
    import_paths(vault, plain.id, files("p", 0))
    import_paths(vault, kept.id, files("k", 0))
    vault.set_retention(kept.id, 1)
    retention, batches, stop = _statements(vault.engine)
    try:
        import_paths(vault, plain.id, files("p", 20))
        assert retention == [] and batches  # no policy: not one statement more
        del batches[:]
        import_paths(vault, kept.id, files("k", 40))
        assert len(retention) == len(batches)  # one per write batch (of up to 64 files), not per file
    finally:
        stop()
    assert len(vault.list_version_trash(kept.id)) == 10
