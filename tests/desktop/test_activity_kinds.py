"""Collection ▸ Activity shows every kind of change in words: textures, versions, publishes, colour
spaces, sharing, materials, tags and the trash each get their own label, none left as a raw name."""
# ruff: noqa: F811 - fixtures imported from test_shared_fixtures are named as parameters

from __future__ import annotations

import os

from corpus import write_image
from test_shared_fixtures import lanes  # noqa: F401 - a fixture

from server_api.store.change_kinds import CHANGE_KINDS, KIND_LABELS
from server_api.store.material_entities import MapSpec
from vault_desktop.sharing.activity import ActivityDialog


def test_every_kind_has_words():
    assert set(KIND_LABELS) == set(CHANGE_KINDS)
    assert len(set(KIND_LABELS.values())) == len(KIND_LABELS)  # no two kinds read the same


def test_activity_names_each_kind_of_change(qtbot, lanes, local_store, tmp_path):
    store = local_store
    props = store.create_collection("Props")
    brick = store.add_texture(props.id, str(write_image(tmp_path / "brick.png")),
                              original_path="/p/brick.png")
    v2 = store.add_version(brick.id, str(write_image(tmp_path / "brick2.png", seed=2)))
    store.set_current_version(brick.id, brick.current.id)
    store.record_publish(brick.id, brick.current.id, "/p/brick.png")
    store.set_colour_space(v2.id, "linear")
    store.create_user("bob", None)
    store.set_grant(props.id, "bob", "read")
    material = store.create_material(props.id, "Brick", [MapSpec(brick.id, "base_color")])
    store.rename_material(material.id, "Red brick")
    store.tag_textures([brick.id], add=["wall"])
    store.delete_material(material.id)
    store.delete_texture(brick.id)
    store.restore_texture(brick.id)

    dialog = ActivityDialog(store, store.get_collection(props.id), lanes)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.complete, timeout=5_000)
    shown = [dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())]
    assert shown == ["Restored", "Moved to trash", "Material deleted", "Tags changed", "Material renamed",
                     "Material created", "Sharing changed", "Colour space set", "Published", "Made current",
                     "New version", "Texture added", "Collection created"]
    assert dialog.model.index(0, 3).data() == "restored 'brick.png' from the trash"
    if os.environ.get("VAULT_SCREENSHOTS"):
        dialog.grab().save(os.environ["VAULT_SCREENSHOTS"] + "/activity_kinds.png")
    dialog.grab().save(str(tmp_path / "activity.png"))
