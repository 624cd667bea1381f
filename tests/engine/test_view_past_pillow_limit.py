"""A texture bigger than Pillow's own bomb limit (178 Mpx; a 16K² texture is 268 Mpx) opens in the viewer
and `vault info`: every Pillow look at a stored file goes through our limit (VAULT_MAX_IMAGE_PIXELS,
16K² by default). Pillow's limit is lowered here so a small picture stands in for a 16K one."""

from __future__ import annotations

from PIL import Image

from server_api.store.sql.store import SqlVaultStore
from server_api.workflows.version_pixels import measure_version


def test_measure_version_reads_the_header_of_a_picture_over_pillows_limit(tmp_path, monkeypatch):
    source = tmp_path / "big_albedo.png"
    Image.new("RGB", (300, 200), (120, 80, 40)).save(source)
    with open(source, "rb") as f:  # an sRGB chunk, so the header (not the role) decides the colour space
        data = f.read()
    srgb = b"\x00\x00\x00\x01sRGB\x00\xae\xce\x1c\xe9"
    source.write_bytes(data[:33] + srgb + data[33:])
    store = SqlVaultStore.open_local(tmp_path / "vault")
    try:
        collection = store.create_collection("Big")
        texture = store.add_texture(collection.id, source, original_path=str(source))
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # 60,000 px is "a bomb" to Pillow now
        measured = measure_version(store, texture.current.id, texture.name)
    finally:
        store.close()
    assert (measured.pixels.width, measured.pixels.height) == (300, 200)
    assert measured.colour.space == "srgb" and "sRGB" in measured.colour.why
