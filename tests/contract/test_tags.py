"""Tags (vocabulary, parents, aliases, many at once, rename/merge, counts, events, permissions) and
search across collections, on every face."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.entities import TextureQuery
from server_api.store.material_entities import MapSpec


@pytest.fixture
def tagged(team, tmp_path):
    """Props (shared): oak_plank, pine_bark, stone_wall; olivia's private 'Secret': oak_secret."""
    ids = {}
    for i, name in enumerate(("oak_plank.png", "pine_bark.png", "stone_wall.png")):
        path = write_image(tmp_path / name, seed=i)
        ids[name] = team.owner.add_texture(team.collection_id, str(path), original_path=f"/props/{name}").id
    secret = team.owner.create_collection("Secret")
    path = write_image(tmp_path / "oak_secret.png", seed=9)
    ids["oak_secret.png"] = team.owner.add_texture(secret.id, str(path), original_path="/s/oak_secret.png").id
    return team, ids


def names(store, text, collection_id=None):
    query = TextureQuery(text=text)
    if collection_id is None:
        return {f.texture.name for f in store.search_textures(query).items}
    return {t.name for t in store.list_textures(collection_id, query).items}


def test_tags_on_many_textures_at_once_are_seen_by_readers_and_found_by_tag(tagged):
    team, ids = tagged
    team.writer.tag_textures([ids["oak_plank.png"], ids["pine_bark.png"]], add=["Wood", "wip"])
    team.writer.tag_textures([ids["pine_bark.png"]], remove=["wip", "never-there"])
    assert team.reader.texture_tags(ids["oak_plank.png"]) == ["wip", "Wood"]
    assert team.reader.texture_tags(ids["pine_bark.png"]) == ["Wood"]
    assert names(team.reader, "tag:wood", team.collection_id) == {"oak_plank.png", "pine_bark.png"}
    assert names(team.reader, "tag:wood -tag:wip", team.collection_id) == {"pine_bark.png"}
    assert names(team.reader, "tag:wood,stone OR wall", team.collection_id) == {
        "oak_plank.png", "pine_bark.png", "stone_wall.png"}
    assert names(team.reader, "tag:nothing-called-this", team.collection_id) == set()
    counts = {t.name: t.texture_count for t in team.reader.list_tags()}
    assert counts == {"wip": 1, "Wood": 2}


def test_a_parent_finds_its_children_and_an_alias_means_its_tag(tagged):
    team, ids = tagged
    team.owner.tag_textures([ids["oak_plank.png"]], add=["oak"])
    team.owner.tag_textures([ids["pine_bark.png"]], add=["pine"])
    team.owner.tag_textures([ids["stone_wall.png"]], add=["stone"])
    team.owner.tag_textures([ids["stone_wall.png"]], add=["wood"])
    team.owner.tag_textures([ids["stone_wall.png"]], remove=["wood"])
    team.server_admin.set_tag_parent("oak", "wood")
    tag = team.server_admin.set_tag_parent("pine", "wood")
    assert tag.parent == "wood"
    assert names(team.reader, "tag:wood", team.collection_id) == {"oak_plank.png", "pine_bark.png"}
    assert team.server_admin.add_tag_alias("Timber", "wood").aliases == ("timber",)
    assert names(team.reader, "tag:timber", team.collection_id) == {"oak_plank.png", "pine_bark.png"}
    team.writer.tag_textures([ids["stone_wall.png"]], add=["TIMBER"])  # an alias adds its tag
    assert team.reader.texture_tags(ids["stone_wall.png"]) == ["stone", "wood"]
    with pytest.raises(VaultError) as err:
        team.server_admin.set_tag_parent("wood", "oak")  # oak is below wood: a loop
    assert err.value.code == "invalid_argument" and "loop" in err.value.message
    with pytest.raises(VaultError) as err:
        team.server_admin.add_tag_alias("oak", "wood")
    assert err.value.code == "conflict"


def test_rename_and_merge_keep_every_tagged_texture(tagged):
    team, ids = tagged
    team.owner.tag_textures([ids["oak_plank.png"]], add=["woood"])
    team.owner.tag_textures([ids["pine_bark.png"], ids["oak_plank.png"]], add=["wood"])
    team.owner.tag_textures([ids["stone_wall.png"]], add=["rock"])
    merged = team.server_admin.merge_tags("woood", "wood")
    assert (merged.name, merged.texture_count, merged.aliases) == ("wood", 2, ("woood",))
    assert names(team.reader, "tag:woood", team.collection_id) == {"oak_plank.png", "pine_bark.png"}
    renamed = team.server_admin.rename_tag("rock", "Stone")
    assert renamed.name == "Stone" and team.reader.texture_tags(ids["stone_wall.png"]) == ["Stone"]
    with pytest.raises(VaultError) as err:
        team.server_admin.rename_tag("Stone", "WOOD")
    assert err.value.code == "conflict" and "merge" in err.value.message
    with pytest.raises(VaultError) as err:
        team.server_admin.rename_tag("no-such-tag", "x")
    assert err.value.code == "not_found"


def test_tagging_needs_write_level_and_is_all_or_nothing(tagged):
    team, ids = tagged
    for who, code in ((team.reader, "permission_denied"), (team.stranger, "not_found")):
        with pytest.raises(VaultError) as err:
            who.tag_textures([ids["oak_plank.png"]], add=["x"])
        assert err.value.code == code
    with pytest.raises(VaultError) as err:  # the writer may tag Props, not olivia's Secret
        team.writer.tag_textures([ids["oak_plank.png"], ids["oak_secret.png"]], add=["mine"])
    assert err.value.code == "not_found"
    assert team.owner.texture_tags(ids["oak_plank.png"]) == []
    assert "mine" not in {t.name for t in team.owner.list_tags()}
    with pytest.raises(VaultError) as err:
        team.stranger.texture_tags(ids["oak_plank.png"])
    assert err.value.code == "not_found"
    for vocabulary_change in (lambda s: s.rename_tag("x", "y"), lambda s: s.merge_tags("x", "y"),
                              lambda s: s.set_tag_parent("x", None), lambda s: s.add_tag_alias("x", "y")):
        with pytest.raises(VaultError) as err:
            vocabulary_change(team.writer)
        assert err.value.code == "permission_denied"


@pytest.mark.parametrize("bad", ["", "   ", "a,b", "tab\there", "x" * 201])
def test_bad_tag_names_are_refused_by_name(tagged, bad):
    team, ids = tagged
    with pytest.raises(VaultError) as err:
        team.owner.tag_textures([ids["oak_plank.png"]], add=["fine", bad])
    assert err.value.code == "invalid_argument"
    assert team.owner.texture_tags(ids["oak_plank.png"]) == []


def test_tag_changes_are_events_in_the_collection(tagged):
    team, ids = tagged
    team.writer.tag_textures([ids["oak_plank.png"], ids["pine_bark.png"]], add=["wood"])
    event = team.reader.list_events(team.collection_id).items[0]
    assert (event.actor, event.action, event.detail) == ("wanda", "tag", "tagged wood on 2 textures")


def test_counts_and_search_never_show_what_the_caller_cannot_read(tagged):
    team, ids = tagged
    team.owner.tag_textures([ids["oak_plank.png"], ids["oak_secret.png"]], add=["oak"])
    assert names(team.owner, "oak") == {"oak_plank.png", "oak_secret.png"}
    assert names(team.reader, "oak") == {"oak_plank.png"}
    assert names(team.stranger, "oak") == set()
    assert names(team.server_admin, "tag:oak") == {"oak_plank.png", "oak_secret.png"}
    assert {t.name: t.texture_count for t in team.reader.list_tags()} == {"oak": 1}
    assert {t.name: t.texture_count for t in team.owner.list_tags()} == {"oak": 2}
    found = team.owner.search_textures(TextureQuery(text="tag:oak", sort="name"), limit=1)
    assert [(f.texture.name, f.collection) for f in found.items] == [("oak_plank.png", "Props")]
    rest = team.owner.search_textures(TextureQuery(text="tag:oak", sort="name"), limit=1, cursor=found.next)
    assert [(f.texture.name, f.collection) for f in rest.items] == [("oak_secret.png", "Secret")]
    assert rest.next is None
    team.owner.delete_texture(ids["oak_plank.png"])  # the trash is not searched
    assert names(team.owner, "oak") == {"oak_secret.png"}
    with pytest.raises(VaultError) as err:
        team.owner.search_textures(TextureQuery(text="tag:"))
    assert err.value.code == "invalid_argument" and "tag:" in err.value.message


def test_smart_collections_are_per_user_with_live_counts(tagged):
    team, ids = tagged
    team.owner.tag_textures([ids["oak_plank.png"], ids["oak_secret.png"]], add=["oak"])
    saved = team.reader.save_smart_collection("Oaks", "tag:oak OR stone")
    assert (saved.name, saved.query, saved.count) == ("Oaks", "tag:oak OR stone", 2)  # not the Secret one
    team.owner.save_smart_collection("Oaks", "tag:oak")
    team.owner.save_smart_collection("PNGs", "format:png")
    assert [(s.name, s.count) for s in team.owner.list_smart_collections()] == [("Oaks", 2), ("PNGs", 4)]
    team.owner.tag_textures([ids["pine_bark.png"]], add=["oak"])  # counts are live
    assert [s.count for s in team.owner.list_smart_collections()] == [3, 4]
    replaced = team.owner.save_smart_collection("Oaks", "tag:oak -pine")
    assert [(s.name, s.query, s.count) for s in team.owner.list_smart_collections()] == [
        ("Oaks", "tag:oak -pine", 2), ("PNGs", "format:png", 4)]
    assert [s.name for s in team.reader.list_smart_collections()] == ["Oaks"]
    with pytest.raises(VaultError) as err:  # someone else's is not there for you
        team.reader.delete_smart_collection(replaced.id)
    assert err.value.code == "not_found"
    team.owner.delete_smart_collection(replaced.id)
    assert [s.name for s in team.owner.list_smart_collections()] == ["PNGs"]
    with pytest.raises(VaultError) as err:
        team.owner.save_smart_collection("Broken", "format:png OR")
    assert err.value.code == "invalid_argument" and "OR" in err.value.message
    assert [s.name for s in team.owner.list_smart_collections()] == ["PNGs"]


def test_materials_take_tags_from_the_same_vocabulary(tagged):
    team, ids = tagged
    maps = [MapSpec(ids["oak_plank.png"], "base_color")]
    material = team.owner.create_material(team.collection_id, "Oak set", maps)
    team.writer.tag_textures([ids["pine_bark.png"]], add=["wood"])
    team.writer.tag_materials([material.id], add=["WOOD", "hero"])
    assert team.reader.material_tags(material.id) == ["hero", "wood"]
    assert {t.name for t in team.reader.list_tags()} == {"hero", "wood"}
    team.writer.tag_materials([material.id], remove=["hero"])
    assert team.reader.material_tags(material.id) == ["wood"]
    assert team.reader.list_events(team.collection_id).items[0].detail == "untagged hero on 1 material"
    for who, code in ((team.reader, "permission_denied"), (team.stranger, "not_found")):
        with pytest.raises(VaultError) as err:
            who.tag_materials([material.id], add=["x"])
        assert err.value.code == code
    with pytest.raises(VaultError) as err:
        team.stranger.material_tags(material.id)
    assert err.value.code == "not_found"


def test_listings_and_searches_carry_each_texture_s_tags(tagged):
    """Tiles show tag chips from the listing itself: no second call per tile."""
    team, ids = tagged
    team.writer.tag_textures([ids["oak_plank.png"]], add=["wood", "Aged"])
    listed = {t.name: t.tags for t in team.reader.list_textures(team.collection_id).items}
    assert listed == {"oak_plank.png": ("Aged", "wood"), "pine_bark.png": (), "stone_wall.png": ()}
    hits = team.reader.search_textures(TextureQuery(text="oak")).items
    found = {f.texture.name: f.texture.tags for f in hits}
    assert found == {"oak_plank.png": ("Aged", "wood")}  # never olivia's secret one
