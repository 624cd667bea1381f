"""Similar images, near-duplicates and colour search on every face: the import fingerprints the
pixels, similar()/duplicates() and the query fields similar:/colour: find by them, and nothing the
caller cannot read is ever answered or used as the picture to compare with."""

from __future__ import annotations

import pytest
from PIL import Image
from similar_images import EDITS, picture, write

from server_api.core.errors import VaultError
from server_api.store.entities import TextureQuery


@pytest.fixture
def pictures(team, tmp_path):
    """Props: 'stones' (one picture), its brightened and JPEG copies, 'other' (an unrelated picture),
    'blank' (flat grey: no hash), 'red' and 'blue' (flat colours). Olivia's private 'Secret' holds a
    resized copy of 'stones'."""
    stones = picture(2, 512)
    files = {
        "stones.png": stones, "stones_bright.png": EDITS["brightened"](stones),
        "stones_q70.jpg": stones, "other.png": picture(6, 512),
        "blank.png": Image.new("RGB", (64, 64), (128, 128, 128)),
        "red.png": _two_tone((200, 30, 30), (250, 240, 230)),
        "blue.png": _two_tone((30, 40, 200), (20, 20, 20)),
    }
    ids = {}
    for name, im in files.items():
        path = write(im, tmp_path / name)
        ids[name] = team.owner.add_texture(team.collection_id, str(path), original_path=f"/p/{name}").id
    secret = team.owner.create_collection("Secret")
    path = write(EDITS["resized"](stones), tmp_path / "stones_secret.png")
    ids["stones_secret.png"] = team.owner.add_texture(secret.id, str(path),
                                                      original_path="/s/stones_secret.png").id
    return team, ids, secret.id


def _two_tone(main, rest) -> Image.Image:
    im = Image.new("RGB", (100, 100), main)
    im.paste(rest, (0, 0, 100, 20))  # 80 % main colour
    return im


def names(store, text, collection_id=None):
    query = TextureQuery(text=text)
    if collection_id is None:
        return {f.texture.name for f in store.search_textures(query).items}
    return {t.name for t in store.list_textures(collection_id, query).items}


def test_similar_finds_the_edited_copies_first_and_never_the_texture_itself(pictures):
    team, ids, _ = pictures
    found = team.owner.similar(ids["stones.png"])
    near = [s.texture.name for s in found]
    assert set(near[:3]) == {"stones_bright.png", "stones_q70.jpg", "stones_secret.png"}
    assert "stones.png" not in near and "blank.png" not in near
    assert all(s.distance <= 4 for s in found[:3])
    secret = next(s for s in found if s.texture.name == "stones_secret.png")
    assert secret.collection == "Secret" and secret.texture.id == ids["stones_secret.png"]
    assert team.owner.similar(ids["stones.png"], limit=1)[0].texture.name == near[0]


def test_similar_never_shows_or_compares_with_what_the_caller_cannot_read(pictures):
    team, ids, secret_id = pictures
    assert "stones_secret.png" not in {s.texture.name for s in team.reader.similar(ids["stones.png"])}
    for who in (team.stranger, team.reader):
        with pytest.raises(VaultError) as err:
            who.similar(ids["stones_secret.png"])
        assert err.value.code == "not_found"
    # the query field: a texture the searcher cannot see is like one that does not exist
    assert names(team.reader, f"similar:{ids['stones_secret.png']}") == set()
    assert names(team.owner, f"similar:{ids['stones_secret.png']}") >= {"stones.png", "stones_bright.png"}
    assert names(team.stranger, f"similar:{ids['stones.png']}") == set()
    with pytest.raises(VaultError) as err:
        team.stranger.duplicates(team.collection_id)
    assert err.value.code == "not_found"
    with pytest.raises(VaultError) as err:
        team.reader.duplicates(secret_id)
    assert err.value.code == "not_found"


def test_the_similar_query_field_in_a_collection_and_everywhere(pictures):
    team, ids, _ = pictures
    stones = ids["stones.png"]
    copies = {"stones_bright.png", "stones_q70.jpg"}
    assert names(team.reader, f"similar:{stones}", team.collection_id) == copies
    assert names(team.owner, f"similar:{stones}") == copies | {"stones_secret.png"}
    assert names(team.reader, f"similar:{stones} -bright", team.collection_id) == {"stones_q70.jpg"}
    exact = names(team.reader, f"similar:{stones}~0", team.collection_id)
    assert exact <= {"stones_q70.jpg", "stones_bright.png"}
    assert {s.texture.name for s in team.reader.similar(stones) if s.distance == 0} == exact
    assert names(team.reader, f"similar:{ids['blank.png']}", team.collection_id) == set()  # no hash
    assert names(team.reader, "similar:99999999", team.collection_id) == set()
    count = team.reader.count_textures(team.collection_id, TextureQuery(text=f"similar:{stones} OR other"))
    assert count == 3


@pytest.mark.parametrize("text", ["similar:", "similar:abc", "similar:12~16", "similar:1,2", "similar:>3",
                                  "colour:", "colour:red", "colour:#12345", "colour:#8a5a2b~0",
                                  "colour:#8a5a2b~51", "colour:#8a5a2b,#000000"])
def test_a_malformed_similar_or_colour_field_names_itself(team, text):
    with pytest.raises(VaultError) as err:
        team.reader.list_textures(team.collection_id, TextureQuery(text=text))
    assert err.value.code == "invalid_argument"
    assert text.split(":")[0] + ":" in err.value.message and "at 1" in err.value.message


def test_colour_search_finds_the_dominant_colour(pictures):
    team, ids, _ = pictures
    assert names(team.reader, "colour:#c81e1e", team.collection_id) == {"red.png"}
    assert names(team.reader, "colour:#1e28c8", team.collection_id) == {"blue.png"}
    assert names(team.reader, "colour:#C81E1E -red", team.collection_id) == set()
    assert names(team.reader, "colour:#808080~5", team.collection_id) == {"blank.png"}
    # the light strip is 20 % of red.png (kept: more than 10 %), black 20 % of blue.png
    assert "red.png" in names(team.reader, "colour:#faf0e6~5", team.collection_id)
    assert "blue.png" in names(team.reader, "colour:#141414~5", team.collection_id)
    assert names(team.reader, "colour:#00ff00", team.collection_id) == set()


def test_duplicates_groups_the_copies_of_one_picture(pictures):
    team, ids, _ = pictures
    groups = team.reader.duplicates(team.collection_id)
    assert len(groups) == 1
    assert [t.name for t in groups[0].textures] == ["stones.png", "stones_bright.png", "stones_q70.jpg"]
    assert 0 <= groups[0].distance <= 4
    assert team.reader.duplicates(team.collection_id, distance=0) == [] or all(
        g.distance == 0 for g in team.reader.duplicates(team.collection_id, distance=0))
    for bad in (-1, 16, True, "4"):
        with pytest.raises(VaultError) as err:
            team.reader.duplicates(team.collection_id, distance=bad)
        assert err.value.code == "invalid_argument"


def test_similar_refuses_a_bad_limit_and_a_trashed_texture_is_gone(pictures):
    team, ids, _ = pictures
    for bad in (0, 501, True):
        with pytest.raises(VaultError) as err:
            team.reader.similar(ids["stones.png"], limit=bad)
        assert err.value.code == "invalid_argument"
    team.owner.delete_texture(ids["stones_bright.png"])
    assert "stones_bright.png" not in {s.texture.name for s in team.reader.similar(ids["stones.png"])}
    assert "stones_bright.png" not in names(team.reader, f"similar:{ids['stones.png']}", team.collection_id)
    assert team.reader.similar(ids["blank.png"]) == []


def test_colour_search_ranks_by_distance_and_share_and_never_shows_the_unreadable(pictures, tmp_path):
    team, ids, secret_id = pictures
    path = write(_two_tone((205, 35, 30), (20, 20, 20)), tmp_path / "dark_red.png")  # near red, 80 %
    team.owner.add_texture(secret_id, str(path), original_path="/s/dark_red.png")
    path = write(_two_tone((20, 20, 20), (200, 30, 30)), tmp_path / "red_strip.png")  # red on 20 %
    team.owner.add_texture(team.collection_id, str(path), original_path="/p/red_strip.png")
    found = team.owner.colour_search("#c81e1e")
    assert [m.texture.name for m in found] == ["red.png", "dark_red.png", "red_strip.png"]
    assert found[0].delta_e < 1 and abs(found[0].share - 0.8) < 0.1 and found[1].collection == "Secret"
    assert found[2].delta_e < 1 and abs(found[2].share - 0.2) < 0.1  # as close, far smaller a share
    assert [m.texture.name for m in team.reader.colour_search("#c81e1e")] == ["red.png", "red_strip.png"]
    assert team.stranger.colour_search("#c81e1e") == []
    assert [m.texture.name for m in team.reader.colour_search("#c81e1e", limit=1)] == ["red.png"]
    assert team.reader.colour_search("#00ff00") == []
    for colour, distance in (("red", 15), ("#12345", 15), (None, 15), ("#c81e1e", 0), ("#c81e1e", 51),
                             ("#c81e1e", True)):
        with pytest.raises(VaultError) as err:
            team.reader.colour_search(colour, distance=distance)
        assert err.value.code == "invalid_argument"
