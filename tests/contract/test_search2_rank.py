"""Sort by rank (issue 14) on every face: a query with similar:ID or colour: comes nearest first, each
texture carrying its distance, pages follow by cursor in the same order, a query without such a term
is in name order, and nothing the caller cannot read is answered."""

from __future__ import annotations

import pytest
from PIL import Image
from similar_images import EDITS, picture, write

from server_api.core.errors import VaultError
from server_api.store.entities import TextureQuery

# Reds further and further from #c81e1e, each on 80 % of its picture (the rest a pale grey).
REDS = {"a_far.png": (200, 60, 60), "b_near.png": (200, 34, 30), "c_exact.png": (200, 30, 30),
        "d_mid.png": (190, 45, 40)}


def _two_tone(main, rest=(235, 235, 235)) -> Image.Image:
    im = Image.new("RGB", (100, 100), main)
    im.paste(rest, (0, 0, 100, 20))
    return im


@pytest.fixture
def reds(team, tmp_path):
    ids = {}
    for name, rgb in REDS.items():
        path = write(_two_tone(rgb), tmp_path / name)
        ids[name] = team.owner.add_texture(team.collection_id, str(path), original_path=f"/r/{name}").id
    path = write(_two_tone((40, 40, 200)), tmp_path / "blue.png")
    ids["blue.png"] = team.owner.add_texture(team.collection_id, str(path), original_path="/r/blue.png").id
    tagged = [ids["a_far.png"], ids["c_exact.png"]]
    team.owner.tag_textures(tagged, add=["warm"])
    return team, ids


def ranked(store, collection_id, text, **kw):
    return store.list_textures(collection_id, TextureQuery(text=text, sort="rank", **kw)).items


def test_a_colour_query_sorted_by_rank_is_nearest_first_with_its_distance(reds):
    team, _ = reds
    found = ranked(team.reader, team.collection_id, "colour:#c81e1e~25")
    assert [t.name for t in found] == ["c_exact.png", "b_near.png", "d_mid.png", "a_far.png"]
    distances = [t.distance for t in found]
    assert distances == sorted(distances) and distances[0] < 1.0 and distances[-1] <= 25
    by_name = team.reader.list_textures(team.collection_id, TextureQuery(text="colour:#c81e1e~25")).items
    assert [t.name for t in by_name] == sorted(REDS)  # the user's own sort still wins
    assert all(t.distance is None for t in by_name)
    far_first = ranked(team.reader, team.collection_id, "colour:#c81e1e~25", descending=True)
    assert [t.name for t in far_first] == [t.name for t in reversed(found)]


def test_the_rest_of_the_query_still_filters_a_ranked_page(reds):
    team, _ = reds
    assert [t.name for t in ranked(team.reader, team.collection_id, "tag:warm colour:#c81e1e~25")] == [
        "c_exact.png", "a_far.png"]
    assert [t.name for t in ranked(team.reader, team.collection_id, "colour:#c81e1e~25 -exact far")] == [
        "a_far.png"]
    # no similar:/colour: term among the top-level AND terms: name order, no distance
    either = ranked(team.reader, team.collection_id, "colour:#c81e1e~25 OR blue")
    assert [t.name for t in either] == sorted([*REDS, "blue.png"])
    assert all(t.distance is None for t in either)
    assert [t.name for t in ranked(team.reader, team.collection_id, "")] == sorted([*REDS, "blue.png"])


def test_ranked_pages_follow_by_cursor_in_the_same_order(reds):
    team, _ = reds
    whole = [t.name for t in ranked(team.reader, team.collection_id, "colour:#c81e1e~25")]
    for descending in (False, True):
        query = TextureQuery(text="colour:#c81e1e~25", sort="rank", descending=descending)
        seen, cursor = [], None
        while True:
            page = team.reader.list_textures(team.collection_id, query, limit=1, cursor=cursor)
            seen += [t.name for t in page.items]
            cursor = page.next
            if cursor is None:
                break
        assert seen == (whole[::-1] if descending else whole)
    first = team.reader.list_textures(team.collection_id, TextureQuery(text="colour:#c81e1e~25", sort="rank"),
                                      limit=1)
    for other in (TextureQuery(text="colour:#c81e1e~25"),  # another sort
                  TextureQuery(text="colour:#c81e1e~25", sort="rank", descending=True)):
        with pytest.raises(VaultError) as err:
            team.reader.list_textures(team.collection_id, other, limit=1, cursor=first.next)
        assert err.value.code == "invalid_argument"


def test_similar_sorted_by_rank_across_collections_never_shows_the_unreadable(team, tmp_path):
    stones = picture(2, 512)
    ids = {}
    for name, im in (("stones.png", stones), ("stones_bright.png", EDITS["brightened"](stones)),
                     ("stones_small.png", EDITS["resized"](stones)), ("other.png", picture(6, 512))):
        path = write(im, tmp_path / name)
        ids[name] = team.owner.add_texture(team.collection_id, str(path), original_path=f"/p/{name}").id
    secret = team.owner.create_collection("Secret")
    path = write(stones, tmp_path / "stones_copy.png")
    team.owner.add_texture(secret.id, str(path), original_path="/s/stones_copy.png")
    query = TextureQuery(text=f"similar:{ids['stones.png']}~15", sort="rank")
    mine = team.owner.search_textures(query).items
    assert mine[0].texture.name == "stones_copy.png" and mine[0].texture.distance == 0
    assert mine[0].collection == "Secret"
    assert {f.texture.name for f in mine} >= {"stones_bright.png", "stones_small.png"}
    assert "stones.png" not in {f.texture.name for f in mine}
    distances = [f.texture.distance for f in mine]
    assert all(d is not None and d <= 15 for d in distances)
    theirs = team.reader.search_textures(query).items
    assert [f.texture.name for f in theirs] == [f.texture.name for f in mine if f.collection != "Secret"]
    assert team.stranger.search_textures(query).items == ()
    in_props = ranked(team.reader, team.collection_id, f"similar:{ids['stones.png']}~15")
    assert [t.name for t in in_props] == [f.texture.name for f in theirs]
