"""The upload pane offers only what would do something: idle, retry, another vault, failures in view."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

from corpus import write_corrupt, write_image
from test_shared_fixtures import lanes  # noqa: F401 - a fixture
from test_upload_queue import drop, settle, states

from server_api.core.errors import VaultError
from server_api.store.sql.store import SqlVaultStore
from vault_desktop.upload.pane import UploadPane
from vault_desktop.upload.queue import UploadQueue
from vault_desktop.upload.rows import DONE, FAILED, REJECTED, failure


def make_pane(qtbot, lanes, store):
    collection = store.create_collection("Bricks")
    pane = UploadPane(UploadQueue(lanes), lanes)
    qtbot.addWidget(pane)
    pane.set_store(store, collection)
    qtbot.waitUntil(lambda: pane.target_collection_id() == collection.id)
    return pane


def buttons(pane) -> dict[str, bool]:
    return {b.text(): b.isEnabled() for b in (pane.cancel_selected, pane.cancel_all, pane.retry, pane.clear)}


def test_an_idle_pane_shows_an_empty_bar_and_offers_nothing(qtbot, lanes, local_store, tmp_path):
    pane = make_pane(qtbot, lanes, local_store)
    assert pane.total.fraction() == 0.0 and pane.summary.text() == "Nothing queued"
    assert not any(buttons(pane).values())

    drop(qtbot, pane, [write_image(tmp_path / "a.png")])
    settle(qtbot, pane)
    assert states(pane) == {"a.png": DONE} and pane.total.fraction() == 1.0
    assert buttons(pane) == {"Cancel selected": False, "Cancel all": False, "Retry failed": False,
                             "Clear finished": True}
    pane.clear.click()
    assert pane.total.fraction() == 0.0 and not any(buttons(pane).values())


def test_rows_of_another_vault_leave_when_the_vault_changes(qtbot, lanes, local_store, tmp_path):
    pane = make_pane(qtbot, lanes, local_store)
    drop(qtbot, pane, [write_image(tmp_path / "a.png"), write_corrupt(tmp_path / "bad.png")])
    settle(qtbot, pane)
    other = SqlVaultStore.open_local(tmp_path / "other")
    try:
        pane.set_store(other, other.create_collection("Else"))
        assert pane.queue.model.rowCount() == 0 and pane.stack.currentWidget() is pane.hint
        assert pane.summary.text() == "Nothing queued" and not any(buttons(pane).values())
    finally:
        pane.set_store(None)
        other.close()


def test_a_new_failure_is_scrolled_into_view(qtbot, lanes, local_store, tmp_path):
    pane = make_pane(qtbot, lanes, local_store)
    pane.resize(700, 260)
    pane.show()
    drop(qtbot, pane, [write_image(tmp_path / f"ok_{i:02}.png", seed=i) for i in range(30)])
    settle(qtbot, pane)
    pane.view.scrollToTop()  # the user looks at the first rows
    pane.view.verticalScrollBar().actionTriggered.emit(0)
    drop(qtbot, pane, [write_corrupt(tmp_path / "zz_broken.png")])
    settle(qtbot, pane)
    assert states(pane)["zz_broken.png"] == REJECTED
    index = pane.queue.model.index_of_key(pane.queue.last_failed_key)
    assert pane.view.viewport().rect().contains(pane.view.visualRect(index).center())


def test_a_reason_never_says_the_same_thing_twice():
    said = "server http://vault:8765 unreachable: Connection refused"
    assert failure(VaultError("unavailable", said)) == (FAILED, said)
    state, reason = failure(VaultError("unsupported_media", "notes.png: cannot identify image file"))
    assert (state, reason) == (REJECTED, "unsupported or corrupt: notes.png: cannot identify image file")
