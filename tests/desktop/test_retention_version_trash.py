"""Edit ▸ Version trash… in the real main window over a local vault: versions a retention policy
moved out are listed, one is restored (the open history shows it again), the rest
are emptied for good after the confirm."""

from __future__ import annotations

import os
from pathlib import Path

from corpus import write_image
from desktop_helpers import answer_next_dialog, open_collection


def test_the_version_trash_dialog_restores_and_empties(qtbot, window, local_store, tmp_path):
    coll = local_store.create_collection("Props")
    texture = local_store.add_texture(coll.id, str(write_image(tmp_path / "a.png", seed=1)),
                                      original_path="/art/a.png")
    for n in range(2, 5):
        local_store.add_version(texture.id, str(write_image(tmp_path / f"a{n}.png", seed=n)))
    local_store.set_retention(coll.id, 1)
    open_collection(qtbot, window, local_store.get_collection(coll.id))
    assert window.trash.version_trash_action.isEnabled()
    window.select_texture(texture.id)
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 1, timeout=5_000)  # v4 only

    dialog = window.trash.open_version_trash()
    qtbot.waitUntil(lambda: dialog.loaded and dialog.model.rowCount() == 3, timeout=5_000)
    assert not dialog.restore.isEnabled() and dialog.empty.isEnabled()
    shots = Path(os.environ.get("VAULT_SCREENSHOTS", tmp_path))
    dialog.grab().save(str(shots / "version_trash_dialog.png"))
    rows = {dialog.model.index(r, 1).data(): r for r in range(3)}
    assert set(rows) == {"v1", "v2", "v3"} and dialog.model.index(0, 0).data() == "a.png"
    dialog.view.selectRow(rows["v2"])
    dialog.restore.click()
    qtbot.waitUntil(lambda: dialog.loaded and dialog.model.rowCount() == 2, timeout=5_000)
    assert dialog.status.text() == "Restored 1 version."
    assert [v.number for v in local_store.list_versions(texture.id)] == [4, 2]
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 2, timeout=5_000)  # the history follows

    answer_next_dialog("Yes")
    dialog.empty.click()
    qtbot.waitUntil(lambda: dialog.loaded and dialog.model.rowCount() == 0, timeout=5_000)
    assert local_store.list_version_trash(coll.id) == []
    assert dialog.status.text() == "The version trash is empty."
