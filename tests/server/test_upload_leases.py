"""An account's upload slots leased in the database (issue 15): the per-account cap holds for every
process and instance over one database, a dead holder's slot comes back, and only its taker frees it.
Real SQLite and real PostgreSQL; the two-instance HTTP test is test_two_instances.py."""

from __future__ import annotations

import threading
import time

import pytest

from server_api.cli.server import create_account
from server_api.core.settings import settings
from server_api.store.sql.opening import open_server_store

LIMIT = 4


@pytest.fixture(params=["sqlite", "postgres"])
def opened(request, tmp_path):
    """(a function opening another root store over the same database, the first user's id)."""
    import dataclasses

    config = settings()
    if request.param == "postgres":
        from postgres import fresh_database_url

        config = dataclasses.replace(config, database_url=fresh_database_url(migrated=True))
    stores = []

    def open_another():
        stores.append(open_server_store(config, tmp_path / "data"))
        return stores[-1]

    user = create_account(open_another(), "ada", "correct horse battery staple", admin=True)
    yield open_another, user.id
    for store in stores:
        store.close()


def test_an_account_gets_its_limit_of_slots_and_no_more_across_stores(opened):
    open_another, user = opened
    one, two = open_another(), open_another()  # two processes' engines over one database
    leases = [one.take_upload_lease(user, LIMIT, 60) for _ in range(2)]
    leases += [two.take_upload_lease(user, LIMIT, 60) for _ in range(2)]
    assert all(leases) and sorted(lease.slot for lease in leases) == list(range(LIMIT))
    assert one.take_upload_lease(user, LIMIT, 60) is None
    assert two.take_upload_lease(user, LIMIT, 60) is None
    two.release_upload_lease(leases[0])  # released by another store than the one that took it
    again = one.take_upload_lease(user, LIMIT, 60)
    assert again is not None and again.slot == leases[0].slot


def test_parallel_takers_get_exactly_the_limit(opened):
    open_another, user = opened
    stores = [open_another() for _ in range(4)]
    got, errors = [], []
    start = threading.Barrier(24)

    def take(index: int) -> None:
        start.wait()
        try:
            got.append(stores[index % 4].take_upload_lease(user, LIMIT, 60))
        except Exception as exc:  # noqa: BLE001 (collected: a driver error must fail the test by name)
            errors.append(exc)

    threads = [threading.Thread(target=take, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    taken = [lease for lease in got if lease is not None]
    assert len(taken) == LIMIT and len({lease.slot for lease in taken}) == LIMIT


def test_an_expired_lease_is_taken_over_and_its_old_holder_cannot_free_or_renew_it(opened):
    open_another, user = opened
    store = open_another()
    stale = store.take_upload_lease(user, 1, 0.05)  # a holder that died: nobody renews it
    assert store.take_upload_lease(user, 1, 60) is None  # still live
    time.sleep(0.1)
    fresh = store.take_upload_lease(user, 1, 60)
    assert fresh is not None and fresh.slot == stale.slot and fresh.holder != stale.holder
    assert store.renew_upload_lease(stale, 60) is False
    store.release_upload_lease(stale)  # the old holder's late release leaves the new lease alone
    assert store.take_upload_lease(user, 1, 60) is None
    assert store.renew_upload_lease(fresh, 60) is True
    store.release_upload_lease(fresh)
    assert store.take_upload_lease(user, 1, 60) is not None


def test_a_renewed_lease_outlives_its_first_expiry(opened):
    open_another, user = opened
    store = open_another()
    lease = store.take_upload_lease(user, 1, 0.2)
    assert store.renew_upload_lease(lease, 60)
    time.sleep(0.3)
    assert store.take_upload_lease(user, 1, 60) is None


def test_accounts_do_not_share_slots(opened):
    open_another, ada = opened
    store = open_another()
    bob = store.for_user("ada").create_user("bob", "another long password 1").id
    assert [store.take_upload_lease(ada, 1, 60) is not None for _ in range(2)] == [True, False]
    assert store.take_upload_lease(bob, 1, 60) is not None


def test_a_long_upload_keeps_its_slot_by_renewing_and_gives_it_back_when_it_ends(tmp_path, monkeypatch):
    """Through a real server: leases of 0.5 s renewed every 0.1 s outlive a 2 s stalled upload; when
    the client goes, the slot is released (a minute-long lease would not have lapsed yet)."""
    from abuse_server import stall
    from live_server import LiveServer

    from server_api.http import upload_gate

    monkeypatch.setattr(upload_gate, "LEASE_SECONDS", 0.5)
    monkeypatch.setattr(upload_gate, "RENEW_SECONDS", 0.1)
    with LiveServer(tmp_path / "server") as server:
        token = server.add_user("ada", admin=True)
        collection = server.store(token).create_collection("Long").id
        user = server.root.user_for_token(token).id
        sock = stall(server, token, collection)
        try:
            time.sleep(2.0)  # four lease lifetimes: only renewal keeps slot 0 taken
            assert server.root.take_upload_lease(user, 1, 60) is None
            monkeypatch.setattr(upload_gate, "LEASE_SECONDS", 60.0)
            time.sleep(0.5)  # renewed for a minute now: only a release frees it in the next seconds
        finally:
            sock.close()
        deadline = time.monotonic() + 5
        while (lease := server.root.take_upload_lease(user, 1, 60)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lease is not None and lease.slot == 0
