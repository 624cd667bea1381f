"""How a colour: page is planned (issue 14): with few textures of the colour, SQLite starts from their
ids and sorts them (it does not walk the name index past every texture without the colour: 891 ms
at 100k); with many, it walks the index checking each, and both plans answer the same."""

from __future__ import annotations

import pytest
from PIL import Image
from similar_images import write

from server_api.store.entities import TextureQuery
from server_api.store.query import parse
from server_api.store.sql import queries, query_sql
from server_api.store.sql.convert import T, texture_select

REDS = {"red_1.png": (200, 30, 30), "red_2.png": (196, 36, 30), "pink.png": (200, 60, 60),
        "blue.png": (40, 40, 200), "green.png": (30, 160, 40)}
QUERIES = ["colour:#c81e1e", "colour:#c81e1e~20 -pink", "colour:#c81e1e~25 OR blue", "-colour:#c81e1e",
           "red colour:#c81e1e~25", "colour:#c81e1e colour:#c83c3c~25"]


@pytest.fixture
def vault(local_store, tmp_path):
    collection = local_store.create_collection("Paint")
    for name, rgb in REDS.items():
        path = write(Image.new("RGB", (64, 64), rgb), tmp_path / name)
        local_store.add_texture(collection.id, str(path), original_path=f"/p/{name}")
    return local_store, collection.id


def answers(store, collection_id):
    out = {}
    for text in QUERIES:
        for sort in ("name", "date", "size"):
            query = TextureQuery(text=text, sort=sort)
            out[text, sort] = ([t.name for t in store.list_textures(collection_id, query).items],
                               store.count_textures(collection_id, query),
                               [f.texture.name for f in store.search_textures(query).items])
    return out


def test_both_plans_answer_the_same(vault, monkeypatch):
    store, collection_id = vault
    from_ids = answers(store, collection_id)
    assert from_ids["colour:#c81e1e", "name"][0] == ["red_1.png", "red_2.png"]
    assert from_ids["-colour:#c81e1e", "name"][0] == ["blue.png", "green.png", "pink.png"]
    monkeypatch.setattr(query_sql, "DRIVE_CAP", 0)  # every colour is "common": walk the index
    assert answers(store, collection_id) == from_ids


def plan(store, collection_id, text):
    query = TextureQuery(text=text)
    with store._read() as s:
        where, bounded = query_sql.compiled(s, parse(text), T.c.collection_id == collection_id)
        stmt = texture_select().where(T.c.collection_id == collection_id, T.c.deleted_at.is_(None), where)
        sql = queries.paged(stmt, query, 200, None, from_ids=bounded is not None).compile(
            s.get_bind(), compile_kwargs={"literal_binds": True})
        return bounded, " | ".join(r[3] for r in s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


def test_a_rare_colour_starts_from_its_textures_and_a_common_one_walks_the_name_index(vault, monkeypatch):
    store, collection_id = vault
    bounded, steps = plan(store, collection_id, "colour:#c81e1e")
    assert len(bounded) == 2 and "ix_texture_collection_name" not in steps and "TEMP B-TREE" in steps
    _, either = plan(store, collection_id, "colour:#c81e1e OR blue")  # not a bound: any plan
    assert either
    monkeypatch.setattr(query_sql, "DRIVE_CAP", 1)
    bounded, steps = plan(store, collection_id, "colour:#c81e1e")
    assert bounded is None and "ix_texture_collection_name" in steps


def test_ranked_pages_in_small_rounds_keep_ties_in_name_order(vault, tmp_path, monkeypatch):
    from server_api.store.sql import ranked_pages

    store, collection_id = vault
    copy = write(Image.new("RGB", (64, 64), REDS["red_2.png"]), tmp_path / "again.png")
    store.add_texture(collection_id, str(copy), original_path="/p/a_copy_of_red_2.png")  # same bytes
    query = TextureQuery(text="colour:#c81e1e~25", sort="rank")
    whole = store.list_textures(collection_id, query).items
    assert [t.name for t in whole] == ["red_1.png", "a_copy_of_red_2.png", "red_2.png", "pink.png"]
    assert whole[1].distance == whole[2].distance
    monkeypatch.setattr(ranked_pages, "FIRST_CHUNK", 1)  # a round per sha256: ties across rounds
    for limit in (1, 2, 3):
        seen, cursor = [], None
        while True:
            page = store.list_textures(collection_id, query, limit=limit, cursor=cursor)
            seen += page.items
            if (cursor := page.next) is None:
                break
        assert seen == list(whole)


def test_the_written_out_lists_keep_their_indexes(vault):
    """(-colour: negating them: test_both_plans_answer_the_same.)"""
    from sqlalchemy import select

    from server_api.store.sql import similar_sql
    from server_api.store.sql.fingerprint_rows import H

    store, _ = vault
    with store._read() as s:
        def steps(stmt) -> str:
            sql = stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
            return " | ".join(r[3] for r in s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))

        assert "USING INDEX ix_blob_hash_band0" in steps(select(H.c.sha256).where(
            similar_sql.one_of(H.c.band0, [1, 2, 3])))
        colours = similar_sql.colour_shas(50, 60, 40, 15)
        assert "USING COVERING INDEX ix_blob_colour_cell_lab" in steps(colours)
