"""Thousands of rows: bulk_add_textures for fixtures, and keyset paging that never uses OFFSET."""

from __future__ import annotations

from corpus import write_image
from sqlalchemy import event

from server_api.store.entities import ImageInfo, TextureQuery
from server_api.store.sql.bulk import BulkTexture

N = 5000


def _info(i: int) -> ImageInfo:
    return ImageInfo(format=("PNG", "JPEG", "TIFF")[i % 3], width=64 * (1 + i % 4), height=64,
                     mode="RGBA" if i % 5 == 0 else "RGB", bit_depth=16 if i % 7 == 0 else 8,
                     has_alpha=i % 5 == 0, has_icc=False, orientation=None)


def test_bulk_rows_page_filter_and_count_without_offset(local_store, tmp_path):
    collection = local_store.create_collection("Huge")
    shared = write_image(tmp_path / "shared.png")
    items = [BulkTexture(f"/art/tex_{i:05}.png", info=_info(i), byte_size=1000 + i) for i in range(N)]
    ids = local_store.bulk_add_textures(collection.id, items, str(shared), batch_size=1500)
    assert len(set(ids)) == N
    assert local_store.get_collection(collection.id).texture_count == N
    assert local_store.count_textures(collection.id, TextureQuery(text="format:tiff")) == N // 3
    assert local_store.count_textures(collection.id, TextureQuery(text="alpha:yes depth:16")) == len(
        [i for i in range(N) if i % 5 == 0 and i % 7 == 0])

    statements: list[tuple[str, tuple]] = []
    event.listen(local_store.engine, "before_cursor_execute",
                 lambda conn, cursor, sql, params, *rest: statements.append((sql, params)))
    seen, cursor = [], None
    query = TextureQuery(sort="size", descending=True)
    while True:
        page = local_store.list_textures(collection.id, query, limit=700, cursor=cursor)
        seen += [t.current.byte_size for t in page.items]
        if page.next is None:
            break
        cursor = page.next
    assert seen == sorted((1000 + i for i in range(N)), reverse=True)
    # SQLite's dialect always writes "LIMIT ? OFFSET ?"; keyset paging must bind that offset to 0.
    pages = [params for sql, params in statements if "LIMIT" in sql]
    assert len(pages) == -(-N // 700) and all(params[-1] == 0 for params in pages)
    # Every row points at the one shared blob, which is stored once and intact.
    assert len(list(local_store.content.iter_hashes())) == 1
    assert local_store.fsck().ok and local_store.fsck().versions_checked == N
