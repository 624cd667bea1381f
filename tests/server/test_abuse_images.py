"""Image containers that make a decoder read a huge block whole, uploaded over real HTTP (issue 10).

A 300 MiB unknown PNG chunk cost the server +536 MB: Pillow reads every chunk but the pixel data
whole (and keeps "private" ones), and every TIFF tag's data. They are refused now before any decoder
opens the file, naming the chunk; the ordinary extras (text, ICC) still pass.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from abuse_server import AbuseServer
from PIL import Image

MIB = 1 << 20


def png_with_chunk(kind: bytes, size: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 80, 20)).save(buffer, "PNG")
    png = buffer.getvalue()
    data = b"\x00" * size
    chunk = struct.pack(">I", size) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    cut = png.index(b"IDAT") - 4  # before the pixel data, where Pillow's open reads it
    return png[:cut] + chunk + png[cut:]


def tiff_with_tag(size: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 80, 200)).save(buffer, "TIFF", tiffinfo={65000: b"\x00" * size})
    return buffer.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AbuseServer(tmp_path_factory.mktemp("images"), env={"VAULT_MAX_IMAGE_CHUNK_MB": "8"}) as live:
        live.token = live.account("mallory")
        live.target = live.collection(live.token, "Bait")
        yield live


def upload(server, name: str, data: bytes):
    return server.call("POST", f"/api/v1/collections/{server.target}/textures", server.token,
                       files={"file": (name, data)}, data={"original_path": f"/art/{name}"})


@pytest.mark.parametrize(("name", "data", "what"), [
    ("private.png", png_with_chunk(b"prVt", 40 * MIB), "'prVt'"),
    ("profile.png", png_with_chunk(b"iCCP", 40 * MIB), "'iCCP'"),
    ("tagged.tif", tiff_with_tag(40 * MIB), "TIFF tag 65000"),
], ids=["unknown-png-chunk", "huge-iccp", "huge-tiff-tag"])
def test_a_huge_non_pixel_chunk_is_refused_before_decoding(server, name, data, what):
    before = server.rss()
    answer = upload(server, name, data)
    assert answer.status_code == 413, answer.text
    assert answer.json()["code"] == "too_large" and what in answer.json()["message"]
    assert server.rss() - before < 30 * MIB  # the chunk was never read into memory


def test_ordinary_extras_still_import(server):
    assert upload(server, "small-extra.png", png_with_chunk(b"prVt", 1 * MIB)).status_code == 201
    assert upload(server, "small-tag.tif", tiff_with_tag(1 * MIB)).status_code == 201
