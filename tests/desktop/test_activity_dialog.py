"""Collection ▸ Activity shows uploads and new versions, with a When column that can be read."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

from corpus import write_image
from test_shared_fixtures import lanes  # noqa: F401 - a fixture

from server_api.workflows.importing import import_file
from vault_desktop.sharing.activity import ActivityDialog


def test_activity_lists_uploads_and_versions_with_the_full_time(qtbot, lanes, local_store, tmp_path):
    bricks = local_store.create_collection("Bricks")
    made = import_file(local_store, bricks.id, write_image(tmp_path / "brick_albedo.png", seed=1))
    local_store.add_version(made.texture_id, str(write_image(tmp_path / "retouch.png", seed=2)))

    dialog = ActivityDialog(local_store, local_store.get_collection(bricks.id), lanes)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.complete, timeout=5_000)
    rows = [(dialog.model.index(r, 2).data(), dialog.model.index(r, 3).data())
             for r in range(dialog.model.rowCount())]
    assert rows == [("New version", "added v2 of 'brick_albedo.png'"),
                    ("Texture added", "added 'brick_albedo.png'"),
                    ("Collection created", "created collection 'Bricks'")]
    shown = dialog.model.index(0, 0).data()
    metrics = dialog.view.fontMetrics()
    assert len(shown) == len("2026-01-31 12:00")
    assert dialog.view.columnWidth(0) >= metrics.horizontalAdvance(shown)  # never "202…"
    assert dialog.view.columnWidth(1) >= metrics.horizontalAdvance(dialog.model.index(0, 1).data())
