"""Grants and the audit trail: who was given what, and who did what to a collection."""

from __future__ import annotations

import io

import pytest
from corpus import write_image

from server_api.core.errors import VaultError


def test_grants_list_the_owner_first_then_everyone(team):
    grants = team.reader.list_grants(team.collection_id)
    assert [(g.username, g.level) for g in grants] == [
        ("olivia", "owner"), ("adam", "admin"), ("rita", "read"), ("wanda", "write")]
    assert grants[0].granted_by is None
    assert all(g.granted_by == "olivia" for g in grants[1:])


def test_changing_and_revoking_a_grant(team):
    team.owner.set_grant(team.collection_id, "rita", "write")
    assert team.reader.get_collection(team.collection_id).my_level == "write"
    team.owner.revoke_grant(team.collection_id, "rita")
    assert "rita" not in {g.username for g in team.owner.list_grants(team.collection_id)}
    with pytest.raises(VaultError) as err:
        team.owner.revoke_grant(team.collection_id, "rita")
    assert err.value.code == "not_found"


def test_events_record_who_did_what_newest_first(team, tmp_path):
    cid = team.collection_id
    data = write_image(tmp_path / "a.png", seed=1).read_bytes()
    texture = team.writer.add_texture(cid, io.BytesIO(data), original_path="/art/a.png")
    other = write_image(tmp_path / "b.png", seed=2).read_bytes()
    second = team.writer.add_version(texture.id, io.BytesIO(other))
    team.writer.set_current_version(texture.id, texture.current.id)
    team.writer.record_publish(texture.id, texture.current.id, "/art/a.png")
    team.admin.set_grant(cid, "sam", "read")
    team.admin.revoke_grant(cid, "sam")
    team.writer.delete_texture(texture.id)

    events = team.reader.list_events(cid).items
    actions = [e.action for e in events]
    assert actions[:8] == ["delete_texture", "revoke", "share", "publish", "set_current", "add_version",
                           "add_texture", "share"]
    by_action = {e.action: e for e in events}
    # Uploads and new versions are activity too, with the texture they made.
    assert (by_action["add_texture"].actor, by_action["add_texture"].detail) == ("wanda", "added 'a.png'")
    version_event = by_action["add_version"]
    assert (version_event.actor, version_event.detail) == ("wanda", "added v2 of 'a.png'")
    assert by_action["add_texture"].texture_id == by_action["add_version"].texture_id == texture.id
    assert by_action["delete_texture"].actor == "wanda" and "a.png" in by_action["delete_texture"].detail
    assert by_action["revoke"].actor == "adam" and "sam" in by_action["revoke"].detail
    assert (events[2].actor, events[2].detail) == ("adam", "granted read to sam")
    publish = by_action["publish"]
    assert (publish.texture_id, publish.version_id) == (texture.id, texture.current.id)
    assert "/art/a.png" in publish.detail and "v1" in publish.detail
    assert by_action["set_current"].version_id == texture.current.id != second.id
    assert [e.id for e in events] == sorted((e.id for e in events), reverse=True)


def test_events_page_with_a_cursor(team):
    for i in range(5):
        team.owner.update_collection(team.collection_id, description=f"take {i}")
    first = team.owner.list_events(team.collection_id, limit=2)
    second = team.owner.list_events(team.collection_id, limit=2, cursor=first.next)
    assert len(first.items) == 2 and len(second.items) == 2
    assert first.items[-1].id > second.items[0].id
    with pytest.raises(VaultError) as err:
        team.owner.list_events(team.collection_id, cursor="not-a-cursor")
    assert err.value.code == "invalid_argument"

