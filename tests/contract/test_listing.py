"""Listing a collection's textures: keyset pages, sorting, filters and counts, all done by the store."""

from __future__ import annotations

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.entities import TextureQuery

# (file name, kind, size): distinct names, formats, sizes, alpha and bit depths to filter on.
FILES = [
    ("Moss.png", "png_rgba", (64, 64)),
    ("bark.jpg", "jpeg", (128, 64)),
    ("Bark_normal.png", "png_rgb", (256, 128)),
    ("gravel.tif", "tiff_48_rgb", (32, 32)),
    ("sand.png", "png_16", (48, 24)),
    ("leaf.tga", "tga", (40, 40)),
    ("rust.webp", "webp", (96, 48)),
]


@pytest.fixture
def filled(face, tmp_path):
    olivia = face.user("olivia")
    collection = olivia.create_collection("Forest")
    for i, (name, kind, size) in enumerate(FILES):
        path = write_image(tmp_path / name, kind, size=size, seed=i)
        olivia.add_texture(collection.id, str(path), original_path=str(path))
    return olivia, collection.id


def walk(store, collection_id, query, limit):
    names, cursor, pages = [], None, 0
    while True:
        page = store.list_textures(collection_id, query, limit=limit, cursor=cursor)
        names += [t.name for t in page.items]
        pages += 1
        if page.next is None:
            return names, pages
        cursor = page.next


def test_pages_cover_every_texture_once_in_name_order(filled):
    store, cid = filled
    names, pages = walk(store, cid, TextureQuery(), limit=2)
    assert names == sorted((f[0] for f in FILES), key=str.lower)
    assert pages == 4


@pytest.mark.parametrize("sort", ["name", "date", "size"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_pages_the_same_as_one_big_page(filled, sort, descending):
    store, cid = filled
    query = TextureQuery(sort=sort, descending=descending)
    whole = [t.name for t in store.list_textures(cid, query, limit=100).items]
    paged, _ = walk(store, cid, query, limit=3)
    assert paged == whole and len(whole) == len(FILES)


def test_size_sort_follows_current_version_bytes(filled):
    store, cid = filled
    sizes = [t.current.byte_size for t in store.list_textures(cid, TextureQuery(sort="size")).items]
    assert sizes == sorted(sizes)


@pytest.mark.parametrize(("query", "expected"), [
    (TextureQuery(text="BARK"), {"bark.jpg", "Bark_normal.png"}),
    (TextureQuery(text="_"), {"Bark_normal.png"}),  # a LIKE wildcard is taken literally
    (TextureQuery(text="format:png"), {"Moss.png", "Bark_normal.png", "sand.png"}),
    (TextureQuery(text="format:jpg,TIFF"), {"bark.jpg", "gravel.tif"}),
    (TextureQuery(text="width:>=96"), {"bark.jpg", "Bark_normal.png", "rust.webp"}),
    (TextureQuery(text="size:<=40"), {"gravel.tif", "leaf.tga"}),
    (TextureQuery(text="height:64"), {"Moss.png", "bark.jpg"}),
    (TextureQuery(text="alpha:yes"), {"Moss.png", "leaf.tga"}),
    (TextureQuery(text="depth:16"), {"gravel.tif", "sand.png"}),
    (TextureQuery(text="a format:png alpha:no"), {"Bark_normal.png", "sand.png"}),
    (TextureQuery(text="bark -normal"), {"bark.jpg"}),
    (TextureQuery(text="moss OR format:tga"), {"Moss.png", "leaf.tga"}),
    (TextureQuery(text="(moss OR sand) -alpha:yes"), {"sand.png"}),
    (TextureQuery(text='"bark_n"'), {"Bark_normal.png"}),
    (TextureQuery(text="-(format:png OR format:jpeg)"), {"gravel.tif", "leaf.tga", "rust.webp"}),
    (TextureQuery(text="added:>2000-01-01 by:nobody_here"), set()),
    (TextureQuery(text="added:<2000-01-01"), set()),
    (TextureQuery(text="added:>=2000-01-01 by:OLIVIA -tag:none"), {name for name, _, _ in FILES}),
    (TextureQuery(text="role:normal"), set()),  # none is in a material
])
def test_filters_and_counts_agree(filled, query, expected):
    store, cid = filled
    assert {t.name for t in store.list_textures(cid, query).items} == expected
    assert store.count_textures(cid, query) == len(expected)


def test_filtered_paging_keeps_the_filter(filled):
    store, cid = filled
    names, _ = walk(store, cid, TextureQuery(text="format:png", sort="size", descending=True), limit=1)
    assert sorted(names) == ["Bark_normal.png", "Moss.png", "sand.png"]


def test_a_new_current_version_moves_a_texture_in_date_order(filled, tmp_path):
    store, cid = filled
    oldest = store.list_textures(cid, TextureQuery(sort="date")).items[0]
    newer = write_image(tmp_path / "fresh.png", seed=99)
    store.add_version(oldest.id, str(newer))
    latest = store.list_textures(cid, TextureQuery(sort="date", descending=True), limit=1).items[0]
    assert latest.id == oldest.id


@pytest.mark.parametrize("cursor", ["garbage!", "eyJ4IjogMX0", ""])
def test_invalid_cursor_is_refused(filled, cursor):
    store, cid = filled
    if cursor == "":
        assert len(store.list_textures(cid, cursor=cursor).items) == len(FILES)
        return
    with pytest.raises(VaultError) as err:
        store.list_textures(cid, cursor=cursor)
    assert err.value.code == "invalid_argument"


def test_a_cursor_from_another_sort_is_refused(filled):
    store, cid = filled
    cursor = store.list_textures(cid, TextureQuery(sort="name"), limit=2).next
    with pytest.raises(VaultError) as err:
        store.list_textures(cid, TextureQuery(sort="size"), cursor=cursor)
    assert err.value.code == "invalid_argument"


@pytest.mark.parametrize("limit", [0, -1, 100_000])
def test_bad_limits_are_refused(filled, limit):
    store, cid = filled
    with pytest.raises(VaultError) as err:
        store.list_textures(cid, limit=limit)
    assert err.value.code == "invalid_argument"


@pytest.mark.parametrize(("query", "named"), [
    (TextureQuery(sort="colour"), "sort"), (TextureQuery(text="depth:sixteen"), "at 1 ('depth:sixteen')"),
    (TextureQuery(text="moss width:wide"), "at 6 ('width:wide')"), (TextureQuery(text="a (b"), "at 3 ('(')"),
    (TextureQuery(text="a OR"), "at 3 ('OR')"), (TextureQuery(text="a )"), "at 3 (')')"),
    (TextureQuery(text="shade:blue"), "unknown field 'shade'"), (TextureQuery(text='"open'), "at 1"),
    (TextureQuery(text="x" * 1001), "1000 characters"),
])
def test_malformed_queries_are_refused_naming_the_token(filled, query, named):
    store, cid = filled
    for call in (store.count_textures, store.list_textures):
        with pytest.raises(VaultError) as err:
            call(cid, query)
        assert err.value.code == "invalid_argument" and named in err.value.message
