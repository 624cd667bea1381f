"""What a user may do follows their level; an unreachable server gives a banner with backoff."""

from __future__ import annotations

from corpus import write_image
from desktop_helpers import answer_next_dialog, open_collection
from live_server import free_port

from server_api.store import open_store
from server_api.workflows.importing import import_file
from vault_desktop import connection
from vault_desktop.connection import ConnectionMonitor
from vault_desktop.tasks import Lanes


def test_new_rename_and_delete_a_collection(qtbot, window, local_store):
    window.collections.create("Props")
    qtbot.waitUntil(lambda: getattr(window.current_collection(), "name", None) == "Props", timeout=5000)
    props = window.current_collection()
    assert window.collections.can_rename() and window.collections.can_delete()
    window.collections.rename(props.id, "Props — workshop")
    qtbot.waitUntil(lambda: getattr(window.current_collection(), "name", None) == "Props — workshop")
    answer_next_dialog("Delete")
    window.collections.delete_collection()
    qtbot.waitUntil(lambda: window.sidebar.model.rowCount() == 0, timeout=5000)
    assert local_store.list_collections() == []
    assert window.empty_hint.isVisible()


def test_a_read_only_collection_offers_no_writes(qtbot, window, local_store, tmp_path):
    local_store.create_user("maya", None)
    maya = local_store.for_user("maya")
    shared = maya.create_collection("Maya's library")
    tid = import_file(maya, shared.id, write_image(tmp_path / "lib.png")).texture_id
    local_store.create_user("sam", None)
    maya.set_grant(shared.id, "sam", "read")
    window.set_store(local_store.for_user("sam"))
    open_collection(qtbot, window, window.store.get_collection(shared.id))
    assert window.sidebar.model.collection_at(0).my_level == "read"
    assert not window.can_write()
    assert not window.collections.can_rename()
    window.select_texture(tid)
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 1)
    assert not window.timeline.publish.isEnabled()
    window.versions.add_versions(tid, [str(write_image(tmp_path / "v2.png", seed=3))])
    assert "read only" in window.last_message.text()
    assert maya.get_texture(tid).version_count == 1


def test_unreachable_server_counts_down_and_backs_off(qtbot, monkeypatch):
    monkeypatch.setattr(connection, "FIRST_DELAY_S", 1)
    store = open_store(f"http://127.0.0.1:{free_port()}", token="nobody-listens")
    lanes = Lanes()
    monitor = ConnectionMonitor(lanes.reads)
    monitor.set_store(store)
    seen: list[int] = []
    monitor.countdown.connect(seen.append)
    try:
        store.current_user()
    except Exception as exc:  # the real error the REST face raises
        assert connection.is_unavailable(exc)
        monitor.report_unavailable(exc)
    assert monitor.is_down and seen == [1]
    qtbot.waitUntil(lambda: 2 in seen, timeout=5000)  # first probe failed: the next wait doubles
    assert monitor.is_down
    lanes.wait(5000)
    store.close()
