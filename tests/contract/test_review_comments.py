"""Comments on versions (issue 16), on every face: read level comments, on the whole image or a
region; authors edit their own; authors or collection admins delete; listed per version and per
texture; bad text and regions are refused by name and nothing is stored; every write is an event."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.limits import MAX_COMMENT
from server_api.store.review_entities import Region


@pytest.fixture
def brick(team, tmp_path):
    """A texture of the team's writer with two versions: (texture id, v1 id, v2 id)."""
    first = write_image(tmp_path / "brick.png", seed=1)
    texture = team.writer.add_texture(team.collection_id, str(first), original_path=str(first))
    second = team.writer.add_version(texture.id, str(write_image(tmp_path / "b2.png", seed=2)))
    return texture.id, texture.current.id, second.id


def test_a_reader_comments_on_a_region_and_everyone_who_can_read_sees_it(team, brick):
    texture_id, v1, v2 = brick
    made = team.reader.add_comment(v2, "  fix the seam on the left\n", Region(0.0, 0.25, 0.5, 0.5))
    assert (made.author, made.text, made.version_number) == ("rita", "fix the seam on the left", 2)
    assert made.texture_id == texture_id
    assert made.region == Region(0.0, 0.25, 0.5, 0.5) and made.edited_at is None
    team.owner.add_comment(v1, "first pass looks good")
    assert [c.text for c in team.writer.list_comments(v2)] == ["fix the seam on the left"]
    timeline = team.admin.texture_comments(texture_id)
    assert [(c.version_number, c.author, c.region is None) for c in timeline] == [(2, "rita", False),
                                                                                  (1, "olivia", True)]
    with pytest.raises(VaultError) as hidden:
        team.stranger.list_comments(v2)
    assert hidden.value.code == "not_found"
    with pytest.raises(VaultError) as hidden:
        team.stranger.add_comment(v2, "let me in")
    assert hidden.value.code == "not_found"


def test_only_the_author_edits_and_the_author_or_an_admin_deletes(team, brick):
    _texture_id, _v1, v2 = brick
    mine = team.reader.add_comment(v2, "too dark")
    edited = team.reader.edit_comment(mine.id, "too dark in the corners")
    assert edited.text == "too dark in the corners" and edited.edited_at is not None
    for other in (team.writer, team.admin, team.owner):
        with pytest.raises(VaultError) as refused:
            other.edit_comment(mine.id, "rewritten")
        assert refused.value.code == "permission_denied" and "rita" in refused.value.message
    with pytest.raises(VaultError) as refused:
        team.writer.delete_comment(mine.id)  # write level is not enough for someone else's
    assert refused.value.code == "permission_denied"
    assert [c.text for c in team.owner.list_comments(v2)] == ["too dark in the corners"]
    team.admin.delete_comment(mine.id)
    assert team.owner.list_comments(v2) == []
    own = team.writer.add_comment(v2, "I'll fix it")
    team.writer.delete_comment(own.id)
    with pytest.raises(VaultError) as gone:
        team.writer.delete_comment(own.id)
    assert gone.value.code == "not_found" and str(own.id) in gone.value.message


@pytest.mark.parametrize(("text", "region", "says"), [
    ("", None, "needs some text"),
    ("   \n\t ", None, "needs some text"),
    ("x" * (MAX_COMMENT + 1), None, f"at most {MAX_COMMENT}"),
    ("bell\x07", None, "control characters"),
    ("ok", Region(-0.1, 0, 0.5, 0.5), "region x"),
    ("ok", Region(0, 0, 1.5, 0.5), "region w"),
    ("ok", Region(0, 0, 0, 0.5), "width and a height"),
    ("ok", Region(0.6, 0, 0.5, 0.5), "inside the image"),
    ("ok", Region(0, 0.9, 0.5, 0.2), "inside the image"),
    ("ok", Region(float("nan"), 0, 0.5, 0.5), "region x"),
])
def test_bad_text_and_regions_are_refused_by_name_and_nothing_is_stored(team, brick, text, region, says):
    _texture_id, _v1, v2 = brick
    team.reader.add_comment(v2, "kept")
    with pytest.raises(VaultError) as bad:
        team.reader.add_comment(v2, text, region)
    assert bad.value.code == "invalid_argument" and says in bad.value.message
    assert [c.text for c in team.reader.list_comments(v2)] == ["kept"]


def test_a_longest_comment_and_unicode_round_trip(team, brick):
    _texture_id, _v1, v2 = brick
    text = ("Naht links ✓ — 継ぎ目\n" * 400)[: MAX_COMMENT - 1] + "!"
    made = team.reader.add_comment(v2, text, Region(0.0, 0.0, 1.0, 1.0))
    assert team.owner.list_comments(v2)[0].text == text.strip() == made.text
    assert made.region == Region(0.0, 0.0, 1.0, 1.0)


def test_comments_name_missing_things_and_a_trashed_texture_takes_none(team, brick):
    texture_id, _v1, v2 = brick
    with pytest.raises(VaultError) as missing:
        team.reader.add_comment(999_999, "where?")
    assert missing.value.code == "not_found" and "999999" in missing.value.message
    for call in (lambda: team.reader.edit_comment(424_242, "x"), lambda: team.reader.delete_comment(424_242)):
        with pytest.raises(VaultError) as missing:
            call()
        assert missing.value.code == "not_found" and "424242" in missing.value.message
    kept = team.reader.add_comment(v2, "before the delete")
    team.writer.delete_texture(texture_id)
    with pytest.raises(VaultError) as trashed:
        team.reader.add_comment(v2, "after the delete")
    assert trashed.value.code == "not_found"
    team.writer.restore_texture(texture_id)
    assert [c.id for c in team.reader.list_comments(v2)] == [kept.id]


def test_every_comment_write_is_an_event_in_the_collection(team, brick):
    _texture_id, _v1, v2 = brick
    made = team.reader.add_comment(v2, "fix the seam")
    team.reader.edit_comment(made.id, "fix the seam, please")
    team.owner.delete_comment(made.id)
    events = team.owner.list_events(team.collection_id).items
    review = [(e.action, e.actor, e.version_id) for e in events if e.action.startswith("comment_")]
    assert review == [("comment_deleted", "olivia", v2), ("comment_edited", "rita", v2),
                      ("comment_added", "rita", v2)]
    assert "fix the seam" in next(e.detail for e in events if e.action == "comment_added")
