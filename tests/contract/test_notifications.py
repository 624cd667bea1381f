"""Notifications (issue 16), on every face: someone else commenting on, reviewing or adding a
version to a texture you made a version of; never your own doings, never what you cannot read;
the read marker is in the database (a new sign-in sees it), never goes back or past the feed."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError


@pytest.fixture
def wall(team, tmp_path):
    """wanda's texture in the team's collection."""
    path = write_image(tmp_path / "wall.png", seed=1)
    return team.writer.add_texture(team.collection_id, str(path), original_path=str(path))


def test_comments_reviews_and_versions_by_others_notify_the_uploader(face, team, wall, tmp_path):
    assert team.writer.notifications().unread == 0
    team.reader.add_comment(wall.current.id, "the seam shows")
    team.admin.set_review_status(wall.current.id, "changes_requested")
    team.owner.add_version(wall.id, str(write_image(tmp_path / "w2.png", seed=2)))
    team.writer.add_comment(wall.current.id, "on it")  # her own: no notification
    seen = team.writer.notifications()
    assert [(n.action, n.actor, n.unread) for n in seen.items] == [
        ("add_version", "olivia", True), ("review_status", "adam", True), ("comment_added", "rita", True)]
    assert seen.unread == 3 and seen.read_up_to == 0
    assert "the seam shows" in seen.items[-1].detail and seen.items[-1].texture_id == wall.id
    # olivia made v2: the texture's doings by others reach her too (hers do not); adam made nothing
    team.reader.add_comment(wall.current.id, "better")
    assert [n.actor for n in team.owner.notifications().items] == ["rita", "wanda", "adam", "rita"]
    assert team.admin.notifications().items == ()


def test_the_read_marker_survives_a_new_sign_in_and_never_goes_back(face, team, wall):
    for text in ("one", "two", "three"):
        team.reader.add_comment(wall.current.id, text)
    items = team.writer.notifications().items
    after = team.writer.mark_notifications_read(items[1].cursor)
    assert (after.unread, after.read_up_to) == (1, items[1].cursor)
    assert [n.unread for n in after.items] == [True, False, False]
    again = face.user("wanda").notifications()  # another store, the same account
    assert again.unread == 1 and again.read_up_to == items[1].cursor
    assert team.writer.mark_notifications_read(items[2].cursor).read_up_to == items[1].cursor
    everything = team.writer.mark_notifications_read(10**12)  # past the feed: clamped to its end
    assert everything.unread == 0
    team.reader.add_comment(wall.current.id, "four")  # later events are unread again
    assert team.writer.notifications().unread == 1
    assert team.reader.notifications().unread == 0  # markers are per user


def test_what_the_user_can_no_longer_read_is_not_a_notification(team, wall):
    team.reader.add_comment(wall.current.id, "secret plans")
    assert team.writer.notifications().unread == 1
    team.owner.revoke_grant(team.collection_id, "wanda")
    gone = team.writer.notifications()
    assert (gone.items, gone.unread) == ((), 0)


@pytest.mark.parametrize("limit", [0, -1, 1001, True])
def test_bad_limits_and_cursors_are_refused_by_name(team, limit):
    with pytest.raises(VaultError) as bad:
        team.reader.notifications(limit)
    assert bad.value.code == "invalid_argument" and "limit" in bad.value.message


def test_a_negative_cursor_is_refused(team):
    with pytest.raises(VaultError) as bad:
        team.reader.mark_notifications_read(-5)
    assert bad.value.code == "invalid_argument" and "cursor" in bad.value.message



@pytest.mark.parametrize("many", [0, 10**6])
def test_both_plans_give_the_same_notifications(team, wall, tmp_path, monkeypatch, many):
    """Past MANY_VERSIONS of one's own the store walks the feed instead of looking up each texture's
    events (the servers of the rest faces run in this process, so the threshold moves for them too)."""
    from server_api.store.sql import notification_ops

    monkeypatch.setattr(notification_ops, "MANY_VERSIONS", many)
    other = team.owner.add_texture(team.collection_id, str(write_image(tmp_path / "o.png", seed=5)),
                                   original_path="/art/o.png")
    team.reader.add_comment(other.current.id, "not hers")
    for text in ("one", "two"):
        team.reader.add_comment(wall.current.id, text)
    team.admin.set_review_status(wall.current.id, "approved")
    seen = team.writer.notifications()
    assert [(n.action, n.detail.rsplit(": ", 1)[-1]) for n in seen.items] == [
        ("review_status", "set v1 of 'wall.png' to approved"), ("comment_added", "two"),
        ("comment_added", "one")]
    assert seen.unread == 3
    assert team.writer.mark_notifications_read(seen.items[1].cursor).unread == 1
