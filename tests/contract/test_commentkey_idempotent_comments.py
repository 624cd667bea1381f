"""Comments carry an idempotency key (issue 16 leftover), on every face: the same author sending the
same key again gets the comment the first request made (same id, nothing posted twice, one event);
another author's equal key is theirs; the key sent with other text, region or version is a conflict
naming it; without a key every comment is a new one."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.limits import MAX_UPLOAD_KEY
from server_api.store.review_entities import Region


@pytest.fixture
def versions(team, tmp_path):
    """Two versions of the writer's texture: (v1 id, v2 id)."""
    first = write_image(tmp_path / "brick.png", seed=1)
    texture = team.writer.add_texture(team.collection_id, str(first), original_path=str(first))
    second = team.writer.add_version(texture.id, str(write_image(tmp_path / "b2.png", seed=2)))
    return texture.current.id, second.id


def _added_events(store) -> int:
    return sum(1 for change in store.changes(limit=500).items if change.kind == "comment_added")


def test_the_same_key_twice_is_one_comment(team, versions):
    _v1, v2 = versions
    region = Region(0.1, 0.2, 0.3, 0.25)
    first = team.reader.add_comment(v2, "the seam on the left", region, key="retry-7")
    again = team.reader.add_comment(v2, "  the seam on the left\n", region, key="retry-7")  # same text
    assert again.id == first.id and again == first
    assert [(c.id, c.author, c.text) for c in team.owner.list_comments(v2)] == [
        (first.id, "rita", "the seam on the left")]
    assert _added_events(team.owner) == 1  # the repeat wrote nothing


def test_another_authors_equal_key_is_their_own_comment(team, versions):
    _v1, v2 = versions
    mine = team.reader.add_comment(v2, "+1", key="k1")
    theirs = team.writer.add_comment(v2, "+1", key="k1")
    assert theirs.id != mine.id and (mine.author, theirs.author) == ("rita", "wanda")
    assert [c.author for c in team.owner.list_comments(v2)] == ["rita", "wanda"]


def test_the_key_with_other_text_region_or_version_is_a_conflict_naming_it(team, versions):
    v1, v2 = versions
    made = team.reader.add_comment(v2, "too dark", Region(0.0, 0.0, 0.5, 0.5), key="once-only")
    for text, region, version_id in (("too bright", Region(0.0, 0.0, 0.5, 0.5), v2),
                                     ("too dark", Region(0.0, 0.0, 0.5, 0.6), v2),
                                     ("too dark", None, v2),
                                     ("too dark", Region(0.0, 0.0, 0.5, 0.5), v1)):
        with pytest.raises(VaultError) as refused:
            team.reader.add_comment(version_id, text, region, key="once-only")
        assert refused.value.code == "conflict"
        assert "'once-only'" in refused.value.message and f"comment {made.id}" in refused.value.message
    assert [c.id for c in team.owner.list_comments(v2)] == [made.id] and team.owner.list_comments(v1) == []


def test_a_repeat_after_its_author_edited_the_comment_still_answers_it(team, versions):
    _v1, v2 = versions
    made = team.reader.add_comment(v2, "fix the seam", key="edited-later")
    team.reader.edit_comment(made.id, "fix the seam, please")
    again = team.reader.add_comment(v2, "fix the seam", key="edited-later")  # the lost answer's retry
    assert again.id == made.id and again.text == "fix the seam, please"
    assert len(team.owner.list_comments(v2)) == 1


def test_without_a_key_equal_comments_stay_two_and_a_bad_key_is_refused(team, versions):
    _v1, v2 = versions
    team.reader.add_comment(v2, "+1")
    team.reader.add_comment(v2, "+1")
    assert [c.text for c in team.owner.list_comments(v2)] == ["+1", "+1"]
    for bad in ("", "k" * (MAX_UPLOAD_KEY + 1)):
        with pytest.raises(VaultError) as refused:
            team.reader.add_comment(v2, "+2", key=bad)
        assert refused.value.code == "invalid_argument" and "key" in refused.value.message.lower()
    assert len(team.owner.list_comments(v2)) == 2


def test_a_deleted_comments_key_no_longer_answers(team, versions):
    """Deleting the comment lets its key go with it: what the author asked for last is a new comment."""
    _v1, v2 = versions
    made = team.reader.add_comment(v2, "wrong texture", key="gone")
    team.reader.delete_comment(made.id)
    again = team.reader.add_comment(v2, "wrong texture", key="gone")
    assert again.created_at > made.created_at  # (SQLite may hand out the freed id again)
    assert [c.created_at for c in team.owner.list_comments(v2)] == [again.created_at]
    assert _added_events(team.owner) == 2


def test_the_same_key_sent_at_the_same_moment_is_still_one_comment(team, versions):
    """Retries racing each other (on PostgreSQL both may find no key yet): the unique index lets one
    insert, and the others answer its comment."""
    _v1, v2 = versions
    start = threading.Barrier(4)

    def send(_):
        start.wait()
        return team.reader.add_comment(v2, "racing", key="one-of-four").id

    with ThreadPoolExecutor(4) as pool:
        ids = set(pool.map(send, range(4)))
    assert len(ids) == 1 and [c.id for c in team.owner.list_comments(v2)] == list(ids)
    assert _added_events(team.owner) == 1
