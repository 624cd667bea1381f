"""QA in the desktop app (issue 13), with real widgets over a real vault: the grid's QA badge comes
from the listing and is painted on the tile; the details panel shows the findings and overrides the
colour space (the QA rules follow); the QA rules dialog saves rules that the store then holds and the
badges show; only a collection's admins get the dialog; the upload pane names what the rules found.
"""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import numpy as np
import texture_files as tf
from desktop_helpers import open_collection
from PySide6.QtCore import QPoint
from test_shared_fixtures import lanes, server  # noqa: F401 - fixtures

from server_api.store.qa_rules import parse_setting
from server_api.workflows.importing import import_file
from vault_desktop.models.roles import QaRole, TextureIdRole


def _rules(*settings):
    return [parse_setting(s)[1] for s in settings]


def _grey(path, width, height):
    return tf.save_png(path, np.full((height, width, 3), 0.5, np.float32))


def _seed(store, tmp_path):
    coll = store.create_collection("Walls")
    ids = {}
    for name, (w, h) in {"plaster_basecolor.png": (256, 256), "odd_normal.png": (300, 200)}.items():
        ids[name] = import_file(store, coll.id, _grey(tmp_path / name, w, h)).texture_id
    return coll, ids


def _index_of(window, texture_id):
    model = window.grid_model
    return next(model.index(r, 0) for r in range(model.rowCount())
                if model.index(r, 0).data(TextureIdRole) == texture_id)


def test_badge_comes_with_the_listing_and_is_painted_red_for_errors(qtbot, window, local_store, tmp_path):
    coll, ids = _seed(local_store, tmp_path)
    local_store.set_qa_rules(coll.id, _rules("power_of_two=error", "square"))
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2)
    odd, clean = _index_of(window, ids["odd_normal.png"]), _index_of(window, ids["plaster_basecolor.png"])
    assert odd.data(QaRole) == (1, 1) and clean.data(QaRole) is None
    assert "QA: 1 error and 1 warning" in odd.data(0x03)  # the tooltip
    qtbot.waitUntil(lambda: window.grid_model.data(odd, 0x0100 + 1) is not None, timeout=5_000)  # thumbnail
    window.grid.viewport().repaint()
    picture = window.grid.viewport().grab().toImage()
    rect, side = window.grid.visualRect(odd), window.textures.grid.itemDelegate()._side
    left = rect.left() + (rect.width() - side) // 2
    top = rect.top() + 8
    badge = picture.pixelColor(QPoint(left + side - 10, top + 12))  # inside "QA ✕1 ⚠1", top right
    assert badge.red() > 150 and badge.green() < 110, badge.name()  # red: an error
    grey = picture.pixelColor(QPoint(left + 10, top + side - 10))
    assert abs(grey.red() - grey.blue()) < 8  # the grey thumbnail itself, not a badge
    window.grid.viewport().grab().save(str(tmp_path / "badge.png"))


def test_details_show_findings_and_override_the_colour_space(qtbot, window, local_store, tmp_path):
    coll, ids = _seed(local_store, tmp_path)
    local_store.set_qa_rules(coll.id, _rules("colour_space=warning"))
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    window.select_texture(ids["odd_normal.png"])
    detail = window.versions.detail
    qtbot.waitUntil(lambda: detail.texture is not None and detail.texture.id == ids["odd_normal.png"])
    assert detail.colour.currentData() == "linear" and detail.colour.isEnabled()  # the role decided
    assert detail.text_of("QA") == "no findings"

    detail.colour.setCurrentIndex(detail.colour.findData("srgb"))
    detail.colour.activated.emit(detail.colour.currentIndex())  # what a user's pick sends
    qtbot.waitUntil(lambda: detail.texture.current.colour_space == "srgb", timeout=5_000)
    assert detail.colour.currentData() == "srgb"
    assert detail.text_of("QA") == "warning: sRGB profile on a normal map"
    assert local_store.get_texture(ids["odd_normal.png"]).current.colour_space == "srgb"
    qtbot.waitUntil(lambda: _index_of(window, ids["odd_normal.png"]).data(QaRole) == (0, 1), timeout=5_000)


def test_the_rules_dialog_saves_rules_and_the_badges_follow(qtbot, window, local_store, tmp_path):
    coll, ids = _seed(local_store, tmp_path)
    local_store.set_qa_rules(coll.id, _rules("bit_depth.height=16:error"))
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    assert window.qa_rules.action.isEnabled()  # the local user owns the collection
    dialog = window.qa_rules.open_rules()
    qtbot.waitUntil(lambda: dialog.rows["square"].on.isEnabled(), timeout=5_000)
    assert dialog.per_role.toPlainText() == "bit_depth.height=16:error"
    dialog.rows["power_of_two"].on.setChecked(True)
    dialog.rows["power_of_two"].level.setCurrentIndex(dialog.rows["power_of_two"].level.findData("error"))
    dialog.rows["max_side"].on.setChecked(True)
    dialog.rows["max_side"].value.setValue(256)
    dialog.per_role.setPlainText("bit_depth.height=16:error\nnot a rule")
    dialog.save()
    assert "not a rule" in dialog.message.text() and dialog.isVisible()  # nothing was sent
    dialog.per_role.setPlainText("bit_depth.height=16:error")
    dialog.grab().save(str(tmp_path / "rules.png"))
    dialog.save()
    qtbot.waitUntil(lambda: window.qa_rules.dialog is None, timeout=5_000)  # saved and closed
    held = [r.text() for r in local_store.get_qa_rules(coll.id).rules]
    assert held == ["bit_depth.height=16:error", "max_side=256:warning", "power_of_two=error"]
    qtbot.waitUntil(lambda: _index_of(window, ids["odd_normal.png"]).data(QaRole) == (1, 1), timeout=5_000)
    assert _index_of(window, ids["plaster_basecolor.png"]).data(QaRole) is None


def test_only_admins_get_the_rules_dialog(qtbot, server, tmp_path):
    from vault_desktop.main_window import MainWindow

    alice = server.store(server.add_user("alice"))
    rita = server.store(server.add_user("rita"))
    coll, _ids = _seed(alice, tmp_path)
    alice.set_grant(coll.id, "rita", "write")
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_store(rita)
    open_collection(qtbot, window, rita.get_collection(coll.id))
    assert not window.qa_rules.action.isEnabled() and window.qa_rules.open_rules() is None
    window.versions.detail.set_can_write(True)  # writers may still set a colour space
    alice.set_grant(coll.id, "rita", "admin")
    window.refresh_collections(select_id=coll.id)
    qtbot.waitUntil(lambda: window.qa_rules.action.isEnabled(), timeout=5_000)
    window.lanes.wait(5_000)
    alice.close()
    rita.close()


def test_the_upload_pane_says_what_the_rules_found(qtbot, lanes, local_store, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from vault_desktop.upload.pane import UploadPane
    from vault_desktop.upload.queue import UploadQueue
    from vault_desktop.upload.queue_model import OUTCOME

    coll = local_store.create_collection("Drops")
    local_store.set_qa_rules(coll.id, _rules("power_of_two", "colour_space"))
    pane = UploadPane(UploadQueue(lanes), lanes)
    qtbot.addWidget(pane)
    pane.set_store(local_store, coll)
    qtbot.waitUntil(lambda: pane.target_collection_id() == coll.id)
    odd = _grey(tmp_path / "odd_normal.png", 300, 200)
    clean = _grey(tmp_path / "wall_basecolor.png", 256, 256)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (odd, clean)])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(pane.queue.added):
        pane.dropEvent(event)
    qtbot.waitUntil(lambda: pane.queue.pending_count() == 0, timeout=20_000)
    qtbot.wait(150)  # one flush tick: the model shows the final states
    model = pane.queue.model
    said = {model.rows()[r].name: model.index(r, OUTCOME).data() for r in range(model.rowCount())}
    assert said == {"odd_normal.png": "imported with 1 warning: not power of two (300x200)",
                    "wall_basecolor.png": "added as a new texture"}
    local_store.set_colour_space(local_store.list_textures(coll.id).items[0].current.id, "srgb")
    row = next(r for r in model.rows() if r.name == "odd_normal.png")
    row.qa = local_store.get_texture(row.texture_id).current.qa
    assert row.outcome_text() == ("imported with 2 warnings: sRGB profile on a normal map; "
                                  "not power of two (300x200)")  # the issue's own example


def test_the_viewer_names_and_shows_the_stored_colour_space(qtbot, local_store, tmp_path):
    from vault_desktop.tasks import TaskRunner
    from vault_desktop.viewer import ViewerItem, open_viewer

    coll = local_store.create_collection("Heights")
    path = tf.save_exr(tmp_path / "cliff_height.exr", tf.seamless(64, 64)[:, :, :1].repeat(3, 2), "half")
    texture = local_store.get_texture(import_file(local_store, coll.id, path).texture_id)
    version = local_store.set_colour_space(texture.current.id, "srgb")  # a user says otherwise
    runner = TaskRunner(1)
    viewer = open_viewer(local_store, runner, [ViewerItem.of_version(version, texture.name)], 0)
    qtbot.addWidget(viewer)
    with qtbot.waitSignal(viewer.loaded, timeout=10_000):
        pass
    assert viewer.colour_label.text().startswith("Colour space: sRGB (set by a user; the file: linear")
    assert not viewer.display_settings().encode_srgb  # a height map is data: shown as its values
    viewer.close()
    runner.wait(10_000)
    qtbot.wait(20)


def test_the_filter_bar_filters_by_findings(qtbot, window, local_store, tmp_path):
    coll, ids = _seed(local_store, tmp_path)
    local_store.set_qa_rules(coll.id, _rules("power_of_two=error"))
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 2)
    bar = window.filter_bar
    bar.qa.setCurrentIndex(bar.qa.findText("QA: errors"))
    assert bar.query().text == "qa:errors"
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 1 and window.grid_model.is_complete())
    assert window.grid_model.index(0, 0).data(TextureIdRole) == ids["odd_normal.png"]
    bar.qa.setCurrentIndex(bar.qa.findText("QA: clean"))
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 1
                    and window.grid_model.index(0, 0).data(TextureIdRole) == ids["plaster_basecolor.png"])
