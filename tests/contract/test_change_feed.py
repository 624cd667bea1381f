"""The change feed on every face: every write is a change, in commit order, with a cursor; each
caller sees only what it may read now; bad cursors and limits are refused by name."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.change_kinds import CHANGE_KINDS
from server_api.store.material_entities import MapSpec


def _all_changes(store, since=0, limit=500):
    """Every page from ``since``: the changes and the cursor the last page ended at."""
    items = []
    while True:
        page = store.changes(since, limit)
        items.extend(page.items)
        assert page.cursor >= since
        since = page.cursor
        if not page.more:
            return items, since


def _add(store, collection_id, tmp_path, name, seed=0):
    path = write_image(tmp_path / name, seed=seed)
    return store.add_texture(collection_id, str(path), original_path=f"/props/{name}")


def test_every_write_is_a_change_of_its_kind_in_order(team, tmp_path):
    olivia, cid = team.owner, team.collection_id
    start = olivia.latest_cursor()
    brick = _add(olivia, cid, tmp_path, "brick.png")
    v2 = olivia.add_version(brick.id, str(write_image(tmp_path / "brick2.png", seed=2)))
    olivia.set_current_version(brick.id, brick.current.id)
    olivia.record_publish(brick.id, brick.current.id, "/props/brick.png")
    olivia.set_colour_space(v2.id, "linear")
    olivia.update_collection(cid, description="bricks")
    olivia.set_grant(cid, "sam", "read")
    olivia.revoke_grant(cid, "sam")
    normal = _add(olivia, cid, tmp_path, "brick_normal.png", seed=3)
    material = olivia.create_material(cid, "Brick", [MapSpec(brick.id, "base_color")])
    olivia.add_material_maps(material.id, [MapSpec(normal.id, "normal")])
    olivia.rename_material(material.id, "Red brick")
    olivia.tag_textures([brick.id], add=["wall"])
    olivia.tag_materials([material.id], add=["wall"])
    olivia.delete_material(material.id)
    olivia.delete_texture(normal.id)
    olivia.restore_texture(normal.id)
    olivia.delete_texture(normal.id)
    olivia.empty_trash(cid)

    changes, cursor = _all_changes(olivia, start)
    kinds = [c.kind for c in changes]
    assert kinds == [
        "texture_added", "version_added", "current_changed", "published", "colour_space_changed",
        "collection_changed", "grant_changed", "grant_changed", "texture_added", "material_created",
        "material_maps_changed", "material_renamed", "tag_assigned", "tag_assigned", "material_deleted",
        "deleted", "restored", "deleted", "trash_emptied",
    ]
    assert set(kinds) <= set(CHANGE_KINDS)  # the one list names every kind the stores write
    cursors = [c.cursor for c in changes]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors) and cursor == cursors[-1]
    assert all(c.actor == "olivia" and c.collection_id == cid for c in changes)
    assert changes[0].texture_id == brick.id and changes[0].detail["action"] == "add_texture"
    assert changes[4].version_id == v2.id and "linear" in changes[4].detail["text"]
    material_changes = [c for c in changes if c.kind.startswith("material_")]
    assert {c.material_id for c in material_changes} == {material.id}
    assert changes[13].material_id == material.id  # a tag on one material names it
    assert olivia.latest_cursor() == cursor
    assert olivia.changes(cursor).items == () and olivia.changes(cursor).cursor == cursor


def test_pages_of_any_size_make_the_same_feed(team, tmp_path):
    olivia, cid = team.owner, team.collection_id
    for i in range(5):
        _add(olivia, cid, tmp_path, f"t{i}.png", seed=i)
    whole, end = _all_changes(olivia)
    for limit in (1, 2, 3):
        paged, paged_end = _all_changes(olivia, 0, limit)
        assert paged == whole and paged_end == end
    first = olivia.changes(0, 2)
    assert len(first.items) == 2 and first.more and first.cursor == first.items[-1].cursor


def test_each_caller_sees_only_what_it_may_read_now(team, tmp_path):
    olivia, rita, sam, cid = team.owner, team.reader, team.stranger, team.collection_id
    secret = olivia.create_collection("Secret")
    _add(olivia, cid, tmp_path, "shared.png")
    _add(olivia, secret.id, tmp_path, "hidden.png", seed=1)

    assert {c.collection_id for c in _all_changes(rita)[0]} == {cid}
    assert _all_changes(sam)[0] == []
    assert {c.collection_id for c in _all_changes(team.server_admin)[0]} >= {cid, secret.id}

    olivia.set_grant(secret.id, "sam", "read")  # access given: the collection's past comes with it
    assert "hidden.png" in " ".join(c.detail["text"] for c in _all_changes(sam)[0])
    olivia.revoke_grant(cid, "rita")  # access lost: nothing of it any more, old or new
    _add(olivia, cid, tmp_path, "after.png", seed=2)
    assert _all_changes(rita)[0] == []


def test_a_cursor_moves_past_changes_the_caller_cannot_read(team, tmp_path):
    since = team.stranger.latest_cursor()
    for i in range(3):
        _add(team.owner, team.collection_id, tmp_path, f"t{i}.png", seed=i)
    page = team.stranger.changes(since)
    assert page.items == () and not page.more
    assert page.cursor == team.server_admin.latest_cursor() > since  # the next ask starts after them
    page = team.stranger.changes(since, 1)
    assert page.items == () and page.cursor == team.server_admin.latest_cursor()


def test_vault_wide_changes_reach_everyone(team, tmp_path):
    texture = _add(team.owner, team.collection_id, tmp_path, "oak.png")
    team.owner.tag_textures([texture.id], add=["oak"])
    since = team.stranger.latest_cursor()
    team.server_admin.rename_tag("oak", "oak-wood")
    (change,) = team.stranger.changes(since).items
    assert change.kind == "tag_renamed" and change.collection_id is None


@pytest.mark.parametrize("since", [-1, True, "3", 2**70, None])
def test_a_bad_cursor_is_refused_by_name(face, since):
    with pytest.raises(VaultError) as caught:
        face.user("olivia").changes(since)
    assert caught.value.code == "invalid_argument" and "since" in caught.value.message


@pytest.mark.parametrize("limit", [0, -5, 1001, True, 2.5])
def test_a_bad_limit_is_refused_by_name(face, limit):
    with pytest.raises(VaultError) as caught:
        face.user("olivia").changes(0, limit)
    assert caught.value.code == "invalid_argument" and "limit" in caught.value.message


def test_a_cursor_past_the_end_is_an_empty_page_not_an_error(face):
    store = face.user("olivia")
    store.create_collection("One")
    page = store.changes(10**12)
    assert page.items == () and page.cursor == 10**12 and not page.more
