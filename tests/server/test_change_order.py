"""The change feed's cursor is in commit order, on PostgreSQL too: a reader that moved its cursor
past a change never misses one that commits later (store/sql/change_log.py)."""

from __future__ import annotations

import threading

import pytest
from postgres import fresh_database_url
from sqlalchemy.orm import Session

from server_api.core.settings import Settings
from server_api.store.sql.access import record_event
from server_api.store.sql.opening import open_server_store


@pytest.fixture(params=["sqlite", "postgres"])
def root(request, tmp_path):
    url = fresh_database_url(migrated=True) if request.param == "postgres" else None
    store = open_server_store(Settings(database_url=url), tmp_path / "data")
    yield store
    store.close()


def test_a_transaction_that_commits_late_is_not_skipped(root):
    if root.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: a second writer cannot commit first")
    admin = root.for_user(root.create_admin("ada", None))
    collection = admin.create_collection("Props")
    start = admin.latest_cursor()

    slow = Session(root._writer)  # a write that started first and records its event first ...
    slow.begin()
    record_event(slow, admin.current_user(), "update_collection", "the slow one", collection.id)
    admin.update_collection(collection.id, description="the fast one")  # ... but commits second
    page = admin.changes(start)
    assert [c.detail["text"] for c in page.items] == ["changed the description"]
    slow.commit()
    slow.close()
    later = admin.changes(page.cursor)  # the reader's cursor is past the fast one: still there
    assert [c.detail["text"] for c in later.items] == ["the slow one"]


def test_concurrent_writers_reach_a_following_reader_once_each_in_order(root):
    admin = root.for_user(root.create_admin("ada", None))
    collections = [admin.create_collection(f"C{i}").id for i in range(6)]
    start = admin.latest_cursor()
    writes_each = 25
    seen: list[int] = []
    done = threading.Event()

    def write(collection_id: int) -> None:
        for n in range(writes_each):
            admin.update_collection(collection_id, description=f"take {n}")

    def follow() -> None:
        cursor = start
        while True:
            finished = done.is_set()  # read before the page: a page after the last commit ends it
            page = admin.changes(cursor, 7)
            seen.extend(c.cursor for c in page.items)
            cursor = page.cursor
            if finished and not page.more:
                return

    reader = threading.Thread(target=follow)
    reader.start()
    writers = [threading.Thread(target=write, args=(cid,)) for cid in collections]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join(timeout=60)
    everything = [c.cursor for c in admin.changes(start, 1000).items]
    assert len(everything) == len(collections) * writes_each
    assert seen == everything  # each exactly once, in cursor order, none skipped


def test_a_rolled_back_write_leaves_no_change_and_a_savepoint_keeps_them(root):
    admin = root.for_user(root.create_admin("ada", None))
    collection = admin.create_collection("Props")
    start = admin.latest_cursor()
    me = admin.current_user()
    with pytest.raises(RuntimeError), root.session() as s:
        record_event(s, me, "update_collection", "never happened", collection.id)
        raise RuntimeError("the write fails after recording its event")
    with root.session() as s:
        record_event(s, me, "update_collection", "kept", collection.id)
        with pytest.raises(RuntimeError), s.begin_nested():
            raise RuntimeError("a savepoint inside rolls back")
    assert [c.detail["text"] for c in admin.changes(start).items] == ["kept"]
