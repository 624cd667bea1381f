"""reindex_fingerprints on every face (issue 14): a server admin fingerprints, where the bytes are, the
versions with no fingerprint or one an older recipe made, in batches that follow by ``next``, with
the count to do on the first batch; nobody else may; bad batch arguments are named."""

from __future__ import annotations

import pytest
from similar_images import EDITS, picture, write
from sqlalchemy import text

from server_api.core.errors import VaultError
from server_api.imaging.fingerprint import RECIPE


@pytest.fixture
def pictures(team, tmp_path):
    stones = picture(2, 384)
    ids = {}
    for name, im in (("stones.png", stones), ("stones_bright.png", EDITS["brightened"](stones)),
                     ("moss.png", picture(5, 384)), ("bark.png", picture(3, 384)),
                     ("rust.png", picture(7, 384))):
        path = write(im, tmp_path / name)
        ids[name] = team.owner.add_texture(team.collection_id, str(path), original_path=f"/p/{name}").id
    return team, ids


def run_all(store, limit: int) -> tuple[list, int, int]:
    batches = [store.reindex_fingerprints(limit=limit)]
    while batches[-1].next is not None:
        batches.append(store.reindex_fingerprints(after=batches[-1].next, limit=limit))
    return batches, sum(b.done for b in batches), sum(b.skipped for b in batches)


def test_reindex_recomputes_missing_and_older_fingerprints_in_batches(face, pictures):
    team, ids = pictures
    admin = team.server_admin
    first = admin.reindex_fingerprints()
    assert (first.done, first.skipped, first.next, first.todo) == (0, 0, None, 0)  # the import did it
    with face.engine.begin() as db:  # as before hashing (none) and after a recipe change (older rows)
        gone = db.execute(text("SELECT sha256 FROM blob_hash ORDER BY sha256")).scalars().all()[:2]
        db.execute(text("DELETE FROM blob_colour WHERE sha256 IN (:a, :b)"), {"a": gone[0], "b": gone[1]})
        db.execute(text("DELETE FROM blob_hash WHERE sha256 IN (:a, :b)"), {"a": gone[0], "b": gone[1]})
        db.execute(text("UPDATE blob_hash SET recipe = :old"), {"old": RECIPE - 1})
    batches, done, skipped = run_all(admin, limit=2)
    assert batches[0].todo == 5 and [b.todo for b in batches[1:]] == [None, None]
    assert [b.done for b in batches] == [2, 2, 1] and (done, skipped) == (5, 0)
    with face.engine.begin() as db:
        current = text("SELECT COUNT(*) FROM blob_hash WHERE recipe = :r")
        assert db.execute(current, {"r": RECIPE}).scalar() == 5
        assert db.execute(text("SELECT COUNT(DISTINCT sha256) FROM blob_colour")).scalar() == 5
    near = [s.texture.name for s in team.owner.similar(ids["stones.png"])]
    assert near[0] == "stones_bright.png"
    again = admin.reindex_fingerprints()
    assert (again.done, again.next, again.todo) == (0, None, 0)


def test_only_a_server_admin_may_reindex_and_bad_arguments_are_named(pictures):
    team, _ = pictures
    for who in (team.owner, team.reader, team.stranger):
        with pytest.raises(VaultError) as err:
            who.reindex_fingerprints()
        assert err.value.code == "permission_denied"
    for kwargs, words in (({"limit": 0}, "limit must be between 1 and 2000"),
                          ({"limit": True}, "limit must be between"),
                          ({"after": "zz"}, "after must be a sha256"),
                          ({"after": "A" * 64}, "after must be a sha256")):
        with pytest.raises(VaultError) as err:
            team.server_admin.reindex_fingerprints(**kwargs)
        assert err.value.code == "invalid_argument" and words in err.value.message
