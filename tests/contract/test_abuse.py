"""Crafted input an ordinary account can send, on every face (the REST faces go over real HTTP).

Each case was a 500, a leak or a tell on the first server (issue 10): cursors built by hand,
idempotency keys reused across users and targets, grant answers that told disabled accounts from
missing ones, a foreign version id named as such, and every user's ``is_admin`` shown to everyone.
"""

from __future__ import annotations

import base64
import io
import json

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.entities import TextureQuery

HUGE = 99999999999999999999999


def forged(payload) -> str:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.fixture
def filled(team, tmp_path):
    for i in range(3):
        data = write_image(tmp_path / f"t{i}.png", seed=i).read_bytes()
        team.writer.add_texture(team.collection_id, io.BytesIO(data), original_path=f"/art/t{i}.png")
    return team


@pytest.mark.parametrize(("sort", "payload"), [
    ("name", {"s": "name", "d": False, "k": "a", "i": HUGE}),
    ("name", {"s": "name", "d": False, "k": "a", "i": -HUGE}),
    ("name", {"s": "name", "d": False, "k": "a", "i": 2**31}),
    ("name", {"s": "name", "d": False, "k": "a", "i": True}),
    ("name", {"s": "name", "d": False, "k": "a", "i": 1.5}),
    ("name", {"s": "name", "d": False, "k": "a\x00b", "i": 1}),
    ("size", {"s": "size", "d": False, "k": HUGE, "i": 1}),
    ("size", {"s": "size", "d": False, "k": -HUGE, "i": 1}),
    ("size", {"s": "size", "d": False, "k": True, "i": 1}),
    ("date", {"s": "date", "d": False, "k": "0001-01-01T00:00:00+23:59", "i": 1}),
    ("date", {"s": "date", "d": False, "k": "2024-01-01", "i": 1}),
    ("name", [1, 2]),
    ("name", "not json"),
], ids=lambda value: str(value)[:40])
def test_a_crafted_texture_cursor_is_invalid_argument(filled, sort, payload):
    query = TextureQuery(sort=sort)
    with pytest.raises(VaultError) as err:
        filled.reader.list_textures(filled.collection_id, query, limit=1, cursor=forged(payload))
    assert err.value.code == "invalid_argument", err.value
    assert "cursor" in err.value.message


@pytest.mark.parametrize("text", [
    f"event:{HUGE}", f"event:{2**31}", "event:-1", "event:1e5", "event:\u0663", "event:", "x:1"])
def test_a_crafted_event_cursor_is_invalid_argument(filled, text):
    with pytest.raises(VaultError) as err:
        filled.reader.list_events(filled.collection_id, limit=1, cursor=forged(text))
    assert err.value.code == "invalid_argument", err.value


def test_cursors_the_store_made_still_walk_every_page(filled):
    for sort in ("name", "date", "size"):
        query, seen, cursor = TextureQuery(sort=sort), [], None
        while True:
            page = filled.reader.list_textures(filled.collection_id, query, limit=1, cursor=cursor)
            seen += [t.id for t in page.items]
            if page.next is None:
                break
            cursor = page.next
        assert len(seen) == len(set(seen)) == 3, sort


def test_an_upload_key_is_scoped_to_the_user_and_target(team, tmp_path):
    first = write_image(tmp_path / "a.png", seed=1).read_bytes()
    theirs = team.writer.add_texture(team.collection_id, io.BytesIO(first), original_path="/a.png",
                                     upload_key="k-shared")
    # Another user reusing the key in their own collection makes their own texture, never gets theirs.
    mine = team.reader.create_collection("Mine")
    other = write_image(tmp_path / "b.png", seed=2).read_bytes()
    made = team.reader.add_texture(mine.id, io.BytesIO(other), original_path="/b.png", upload_key="k-shared")
    assert made.id != theirs.id and made.collection_id == mine.id
    assert made.current.sha256 != theirs.current.sha256
    # The same user, the same key, another target: a new texture too.
    again = team.writer.create_collection("Writer's own")
    elsewhere = team.writer.add_texture(again.id, io.BytesIO(other), original_path="/c.png",
                                        upload_key="k-shared")
    assert elsewhere.id != theirs.id and elsewhere.collection_id == again.id
    # The same user, key and target: the retry answers with what the first attempt made.
    retried = team.writer.add_texture(team.collection_id, io.BytesIO(first), original_path="/a.png",
                                      upload_key="k-shared")
    assert retried.id == theirs.id


def test_a_version_upload_key_is_scoped_to_the_user_and_texture(team, tmp_path):
    data = [write_image(tmp_path / f"v{i}.png", seed=i).read_bytes() for i in range(4)]
    texture = team.writer.add_texture(team.collection_id, io.BytesIO(data[0]), original_path="/v.png")
    second = team.writer.add_version(texture.id, io.BytesIO(data[1]), upload_key="v-key")
    team.owner.set_grant(team.collection_id, "rita", "write")
    by_rita = team.reader.add_version(texture.id, io.BytesIO(data[2]), upload_key="v-key")
    assert by_rita.id != second.id and by_rita.number == 3 and by_rita.created_by == "rita"
    other = team.writer.add_texture(team.collection_id, io.BytesIO(data[3]), original_path="/w.png")
    on_other = team.writer.add_version(other.id, io.BytesIO(data[1]), upload_key="v-key")
    assert on_other.texture_id == other.id and on_other.number == 2
    assert team.writer.add_version(texture.id, io.BytesIO(data[1]), upload_key="v-key").id == second.id


def test_granting_a_disabled_or_a_missing_account_answers_the_same(team):
    team.server_admin.create_user("gone", "a long enough password")
    team.server_admin.set_user_active("gone", False)
    answers = {}
    for username in ("gone", "nobody-like-this"):
        with pytest.raises(VaultError) as err:
            team.owner.set_grant(team.collection_id, username, "read")
        answers[username] = (err.value.code, err.value.message.replace(username, "NAME"))
    assert answers["gone"] == answers["nobody-like-this"]
    assert answers["gone"][0] == "not_found"


def test_a_foreign_version_id_is_simply_not_found(team, tmp_path):
    data = [write_image(tmp_path / f"f{i}.png", seed=i).read_bytes() for i in range(2)]
    mine = team.writer.add_texture(team.collection_id, io.BytesIO(data[0]), original_path="/m.png")
    theirs = team.writer.add_texture(team.collection_id, io.BytesIO(data[1]), original_path="/n.png")
    answers = []
    for version_id in (theirs.current.id, 2**31 - 1):
        for call in (lambda v: team.writer.set_current_version(mine.id, v),
                     lambda v: team.writer.record_publish(mine.id, v, "/m.png")):
            with pytest.raises(VaultError) as err:
                call(version_id)
            answers.append((err.value.code, err.value.message.replace(str(version_id), "ID")))
    assert {code for code, _ in answers} == {"not_found"}
    assert answers[0] == answers[2] and answers[1] == answers[3]
    assert all("is not a version of" not in message for _, message in answers)


def test_is_admin_of_others_is_shown_only_to_server_admins(team):
    team.server_admin.create_user("boss", "a long enough password", is_admin=True)
    seen_by_reader = {u.username: u.is_admin for u in team.reader.list_users()}
    assert seen_by_reader.pop("rita") is False  # her own account: she knows it anyway
    assert set(seen_by_reader.values()) == {None}, seen_by_reader
    assert team.reader.current_user().is_admin is False
    seen_by_admin = {u.username: u.is_admin for u in team.server_admin.list_users()}
    assert seen_by_admin["boss"] is True and seen_by_admin["rita"] is False
