"""Thumbnails in two sizes on every face: 256 px, and a 512 px preview for big grid tiles."""

from __future__ import annotations

import io

import pytest
from corpus import write_image
from PIL import Image

from server_api.core.errors import VaultError


def _side(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as im:
        return max(im.size)


def test_a_512_preview_is_sharper_and_kept_and_a_small_image_answers_its_thumbnail(face, tmp_path):
    store = face.user("olivia")
    collection = store.create_collection("Big")
    big_file = write_image(tmp_path / "big.png", "png_rgba", size=(1200, 900))
    big = store.add_texture(collection.id, str(big_file), original_path="/art/big.png")
    small = store.add_texture(collection.id, str(write_image(tmp_path / "small.png", size=(200, 150))),
                              original_path="/art/small.png")
    assert _side(store.version_thumbnail(big.current.id)) == 256
    preview = store.version_thumbnail(big.current.id, 512)
    assert _side(preview) == 512
    assert store.version_thumbnail(big.current.id, 512) == preview  # made once, then kept
    assert store.version_thumbnail(small.current.id, 512) == store.version_thumbnail(small.current.id)
    for bad in (300, 0, -1):
        with pytest.raises(VaultError) as err:
            store.version_thumbnail(big.current.id, bad)
        assert err.value.code == "invalid_argument"


def test_gc_drops_previews_with_their_bytes(tmp_path):
    from server_api.store.sql.store import SqlVaultStore

    store = SqlVaultStore.open_local(tmp_path / "vault")
    try:
        collection = store.create_collection("Big")
        texture = store.add_texture(collection.id, str(write_image(tmp_path / "big.png", size=(800, 600))),
                                    original_path="/art/big.png")
        store.version_thumbnail(texture.current.id, 512)
        sha = texture.current.sha256
        content = store.content
        assert content.has_derived(sha, "thumbnail", "512") and list(content.iter_derived_hashes()) == [sha]
        content.delete_derived(sha)
        assert not content.has_derived(sha, "thumbnail") and not content.has_derived(sha, "thumbnail", "512")
    finally:
        store.close()
