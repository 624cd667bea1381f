"""Image containers that make a decoder read a huge block whole, uploaded over real HTTP (issue 10).

A 300 MiB unknown PNG chunk cost the server +536 MB: Pillow reads every chunk but the pixel data
whole (and keeps "private" ones), and every TIFF tag's data. They are refused now before any decoder
opens the file, naming the chunk; the ordinary extras (text, ICC) still pass.
"""

from __future__ import annotations

import concurrent.futures
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


def palette_bomb(side: int = 16384) -> bytes:
    """A valid 8-bit palette PNG of side² pixels in a few hundred KiB (rows of zeros compress away)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    packer, row = zlib.compressobj(9), b"\x00" * (side + 1)
    pixels = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    palette = bytes(range(256)) * 3
    return (PNG_SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", palette[:768]) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def peak_rss(server) -> int:
    for line in open(f"/proc/{server.process.pid}/status").read().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")


def test_four_palette_bombs_at_once_stay_within_the_decode_budget(tmp_path):
    """254 KiB palette PNGs of 16384² cost +2.3 GB each (9.5 GB with four): the server path decodes
    within VAULT_DECODE_BUDGET_MB (issue 9's budget), so four at once cost about one budget."""
    bomb = palette_bomb()
    with AbuseServer(tmp_path, env={"VAULT_DECODE_BUDGET_MB": "300"}) as server:
        token = server.account("mallory")
        target = server.collection(token, "Bait")
        idle = server.rss()

        def send(i: int) -> int:
            return server.call("POST", f"/api/v1/collections/{target}/textures", token, timeout=300,
                               files={"file": (f"bomb{i}.png", bomb)},
                               data={"original_path": f"/art/bomb{i}.png"}).status_code

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(send, range(4)))
        grown = peak_rss(server) - idle
    assert set(statuses) <= {201, 413}, statuses
    assert grown < 300 * MIB + 400 * MIB, f"peak grew {grown // MIB} MiB over idle"
