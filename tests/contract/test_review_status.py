"""Review status per version (issue 16), on every face: admins set needs_review, approved or
changes_requested; a collection that requires review starts every version made from then on as
needs_review (older ones stay as they were); the query field review: finds them; every change is an
event; readers, writers and strangers change nothing."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.entities import TextureQuery


def _texture(store, collection_id, folder, name, seed):
    path = write_image(folder / name, seed=seed)
    return store.add_texture(collection_id, str(path), original_path=str(path))


def _found(store, collection_id, text):
    return sorted(t.name for t in store.list_textures(collection_id, TextureQuery(text=text)).items)


def test_admins_set_the_status_and_everyone_who_can_read_sees_who_did(team, tmp_path):
    texture = _texture(team.writer, team.collection_id, tmp_path, "wall.png", 1)
    version_id = texture.current.id
    assert team.reader.review_state(version_id).status is None  # review is off: no status
    state = team.admin.set_review_status(version_id, "changes_requested")
    assert (state.status, state.set_by) == ("changes_requested", "adam") and state.set_at is not None
    assert team.reader.review_state(version_id) == state
    assert team.owner.set_review_status(version_id, "approved").set_by == "olivia"
    assert team.reader.review_statuses(team.collection_id) == {texture.id: "approved"}
    for who in (team.writer, team.reader):
        with pytest.raises(VaultError) as refused:
            who.set_review_status(version_id, "needs_review")
        assert refused.value.code == "permission_denied"
    with pytest.raises(VaultError) as hidden:
        team.stranger.set_review_status(version_id, "approved")
    assert hidden.value.code == "not_found"
    with pytest.raises(VaultError) as bad:
        team.admin.set_review_status(version_id, "lgtm")
    assert bad.value.code == "invalid_argument" and "changes_requested" in bad.value.message
    assert team.reader.review_state(version_id).status == "approved"
    actions = [(e.action, e.actor) for e in team.owner.list_events(team.collection_id).items
               if e.action == "review_status"]
    assert actions == [("review_status", "olivia"), ("review_status", "adam")]


def test_review_required_makes_new_versions_need_review_and_the_query_finds_them(team, tmp_path):
    old = _texture(team.writer, team.collection_id, tmp_path, "old.png", 1)
    assert team.reader.review_required(team.collection_id) is False
    with pytest.raises(VaultError) as refused:
        team.writer.set_review_required(team.collection_id, True)
    assert refused.value.code == "permission_denied"
    assert team.admin.set_review_required(team.collection_id, True) is True
    assert team.reader.review_required(team.collection_id) is True
    new = _texture(team.writer, team.collection_id, tmp_path, "new.png", 2)
    other = _texture(team.writer, team.collection_id, tmp_path, "other.png", 3)
    assert team.reader.review_state(new.current.id).status == "needs_review"
    assert team.reader.review_state(new.current.id).set_by is None
    assert team.reader.review_state(old.current.id).status is None  # made before review was on
    team.admin.set_review_status(other.current.id, "approved")
    assert _found(team.reader, team.collection_id, "review:needs") == ["new.png"]
    assert _found(team.reader, team.collection_id, "review:approved") == ["other.png"]
    assert _found(team.reader, team.collection_id, "-review:needs") == ["old.png", "other.png"]
    team.admin.set_review_status(old.current.id, "changes_requested")
    assert _found(team.reader, team.collection_id, "review:changes OR review:needs") == ["new.png", "old.png"]
    # a new version of an approved texture needs review again: the status is the current version's
    team.writer.add_version(other.id, str(write_image(tmp_path / "other2.png", seed=4)))
    assert _found(team.reader, team.collection_id, "review:needs") == ["new.png", "other.png"]
    assert team.reader.review_statuses(team.collection_id) == {
        new.id: "needs_review", other.id: "needs_review", old.id: "changes_requested"}
    assert team.admin.set_review_required(team.collection_id, False) is False
    assert team.reader.review_state(new.current.id).status is None
    assert _found(team.reader, team.collection_id, "review:needs") == []


def test_a_bad_review_query_value_is_refused_naming_it(team):
    with pytest.raises(VaultError) as bad:
        team.reader.list_textures(team.collection_id, TextureQuery(text="review:maybe"))
    assert bad.value.code == "invalid_argument" and "maybe" in bad.value.message
