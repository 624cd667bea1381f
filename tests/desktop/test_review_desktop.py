"""Review in the desktop (issue 16), real widgets: comments under the timeline (add, edit, delete),
the admin's status control and the tiles' badges, Collection ▸ Require review; in the viewer, a
rectangle dragged over the picture becomes a comment's region and is drawn over the image; the bell
counts another user's comment from a live server and opening its list marks it read on the server."""

from __future__ import annotations

import pytest
from corpus import write_image
from desktop_helpers import answer_next_dialog, open_collection
from live_server import PASSWORD
from PySide6.QtCore import QPoint, Qt

from server_api.workflows.importing import import_file
from vault_desktop.main_window import MainWindow


def _collection_with(store, tmp_path, names=("brick.png", "tile.png")):
    coll = store.create_collection("Review")
    ids = [import_file(store, coll.id, write_image(tmp_path / n, seed=i, size=(96, 64))).texture_id
           for i, n in enumerate(names)]
    return store.get_collection(coll.id), ids


def test_comments_status_and_badges_under_the_timeline(qtbot, window, local_store, tmp_path):
    coll, ids = _collection_with(local_store, tmp_path)
    open_collection(qtbot, window, coll)
    panel = window.review.panel
    window.select_texture(ids[0])
    qtbot.waitUntil(lambda: panel.text.isEnabled() and "v1" in panel.text.placeholderText())
    assert panel.status_label.text() == "" and panel.status.isVisibleTo(panel)  # an admin: the control says

    panel.text.setPlainText("the seam on the left shows")
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.comments.count() == 1)
    version_id = local_store.get_texture(ids[0]).current.id
    assert [c.text for c in local_store.list_comments(version_id)] == ["the seam on the left shows"]

    panel.comments.setCurrentRow(0)
    assert panel.edit.isEnabled() and panel.delete.isEnabled()
    qtbot.mouseClick(panel.edit, Qt.MouseButton.LeftButton)
    assert panel.send.text() == "Save edit"
    panel.text.setPlainText("the seam on the left still shows")
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.comments.count() == 1 and "still" in panel.comments.item(0).text())
    assert "(edited)" in panel.comments.item(0).text()

    panel.status.activated.emit(panel.status.findData("changes_requested"))
    qtbot.waitUntil(lambda: panel.status_label.text().startswith("by "))
    assert panel.status.currentData() == "changes_requested"
    assert local_store.review_state(version_id).status == "changes_requested"
    delegate = window.grid.itemDelegate()
    qtbot.waitUntil(lambda: delegate.review_badges == {ids[0]: "changes_requested"})

    panel.comments.setCurrentRow(0)
    answer_next_dialog("Delete")
    qtbot.mouseClick(panel.delete, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.comments.count() == 0)
    assert local_store.list_comments(version_id) == []


def test_require_review_marks_new_versions_and_the_badge_follows(qtbot, window, local_store, tmp_path):
    coll, ids = _collection_with(local_store, tmp_path)
    open_collection(qtbot, window, coll)
    action = window.review.require_action
    qtbot.waitUntil(action.isEnabled)
    assert not action.isChecked()
    action.trigger()
    qtbot.waitUntil(lambda: local_store.review_required(coll.id))
    local_store.add_version(ids[1], str(write_image(tmp_path / "tile2.png", seed=9, size=(96, 64))))
    window.refresh_textures()
    qtbot.waitUntil(lambda: window.grid.itemDelegate().review_badges == {ids[1]: "needs_review"})
    window.select_texture(ids[1])
    qtbot.waitUntil(lambda: window.review.panel.status.currentData() == "needs_review")


def test_drag_a_region_in_the_viewer_and_it_is_drawn_over_the_image(qtbot, window, local_store, tmp_path):
    coll, ids = _collection_with(local_store, tmp_path)
    open_collection(qtbot, window, coll)
    viewer = window.viewer.open_texture(ids[0])
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.canvas.image_size != (0, 0))
    pane, overlay, canvas = viewer.comments, viewer.comments.overlay, viewer.canvas
    qtbot.mouseClick(pane.region_button, Qt.MouseButton.LeftButton)
    assert overlay.drawing and "Drag a rectangle" in pane.region_label.text()
    # the picture's top-left quarter, from the canvas's own mapping of image fractions to the screen
    whole = overlay.to_screen(overlay.to_region(QPoint(0, 0), QPoint(canvas.width(), canvas.height())))
    start = whole.topLeft().toPoint() + QPoint(2, 2)
    end = (whole.topLeft() + (whole.bottomRight() - whole.topLeft()) / 2).toPoint()
    qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(overlay, end)
    qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=end)
    assert overlay.pending is not None and not overlay.drawing  # pan and zoom work again
    assert "Region:" in pane.region_label.text()
    pane.text.setPlainText("scratch here")
    qtbot.mouseClick(pane.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(overlay.regions) == 1)
    version_id = local_store.get_texture(ids[0]).current.id
    (stored,) = local_store.list_comments(version_id)
    assert stored.text == "scratch here" and overlay.pending is None
    r = stored.region
    assert abs(r.x) < 0.05 and abs(r.y) < 0.05 and abs(r.w - 0.5) < 0.05 and abs(r.h - 0.5) < 0.05
    assert pane.list.item(0).text().startswith("[1] v1")
    viewer.close()


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)")
def test_the_bell_counts_a_teammates_comment_and_opening_it_marks_it_read(qtbot, server, tmp_path):
    server.add_user("admin", admin=True)
    wanda = server.store(server.add_user("wanda"))
    rita = server.store(server.add_user("rita"))
    coll, ids = _collection_with(wanda, tmp_path, names=("wall.png",))
    wanda.set_grant(coll.id, "rita", "read")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.opener.connect_dialog(url=server.url)
    dialog = window.opener.last_dialog
    dialog.username.setText("wanda")
    dialog.password.setText(PASSWORD)
    dialog.connect_clicked()
    qtbot.waitUntil(lambda: window.store is not None and window.store.kind == "remote", timeout=10_000)
    bell = window.notifications.bell
    rita.add_comment(wanda.get_texture(ids[0]).current.id, "love the moss")
    window.notifications.refresh()
    qtbot.waitUntil(lambda: bell.unread == 1 and bell.text() == "1 new", timeout=10_000)
    qtbot.mouseClick(bell, Qt.MouseButton.LeftButton)
    assert bell.popup.isVisible() and "love the moss" in bell.popup.list.item(0).text()
    qtbot.waitUntil(lambda: bell.unread == 0 and bell.text() == "", timeout=10_000)
    assert wanda.notifications().unread == 0  # the marker is the server's
    bell.popup.hide()
    window.close()
    for store in (wanda, rita):
        store.close()


def test_choosing_a_notification_opens_its_collection_and_texture(qtbot, tmp_path):
    from server_api.store.sql.engine import sqlite_url
    from server_api.store.sql.store import SqlVaultStore

    root = SqlVaultStore.open_server(sqlite_url(tmp_path / "server.db"), tmp_path / "data")
    root.create_admin("root", None)
    for name in ("wanda", "rita"):
        root.for_user("root").create_user(name, None)
    wanda, rita = root.for_user("wanda"), root.for_user("rita")
    first, _ids = _collection_with(wanda, tmp_path, names=("first.png",))
    second = wanda.create_collection("Second")
    wanda.set_grant(second.id, "rita", "read")
    wall = import_file(wanda, second.id, write_image(tmp_path / "wall.png", seed=4)).texture_id
    rita.add_comment(wanda.get_texture(wall).current.id, "over here")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.set_store(wanda)
    open_collection(qtbot, window, first)
    notes = window.notifications
    notes.refresh()
    qtbot.waitUntil(lambda: notes.bell.unread == 1)
    notes.bell.chosen.emit(notes.shown.items[0])
    qtbot.waitUntil(lambda: window.current_collection() is not None
                    and window.current_collection().id == second.id)
    qtbot.waitUntil(lambda: window.current_texture() is not None and window.current_texture().id == wall)
    window.close()
    window.lanes.wait(10_000)
    root.close()
