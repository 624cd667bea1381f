"""Seeded fuzz: a few hundred mutated files made from valid images of every accepted format
(truncations, bit flips in headers and in data, absurd dimensions, wrong chunk lengths, swapped
magic) go through the real `vault import --json` in a subprocess. Every file gets exactly one JSON
line, nothing hangs past a per-file limit, fsck is clean, and a re-import changes nothing.

The seed is fixed, so CI runs the same files every time; VAULT_FUZZ_SEED=<n> explores others.
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np
import texture_files
from PIL import Image

from server_api.imaging.formats import FORMATS

REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("VAULT_FUZZ_SEED", "20261129"))
PER_FORMAT = 24  # mutants per accepted format: 15 formats -> 360 files
PER_FILE_SECONDS = 3.0  # the whole run's limit is this per file (plus start-up): a hang fails it
SIDE = 48


def _valid(fmt: str, rnd: random.Random) -> bytes:
    """A small valid file of an accepted format, pixels from the seed."""
    if fmt in ("EXR", "HDR"):
        return _float_file(fmt, rnd)
    mode = rnd.choice(["RGB", "RGBA", "L", "P"])
    im = Image.effect_noise((SIDE, SIDE), rnd.randrange(10, 80)).convert("L")
    im = Image.merge("RGB", [im, im.rotate(90), im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)])
    if mode == "RGBA":
        im.putalpha(Image.linear_gradient("L").resize((SIDE, SIDE)))
    elif mode != "RGB":
        im = im.convert(mode)
    out = io.BytesIO()
    if fmt == "PSD":
        return _psd(im.convert("RGB"))
    if fmt in ("JPEG", "PPM", "SGI", "DDS", "QOI") and im.mode not in ("RGB", "L", "RGBA"):
        im = im.convert("RGB")
    if (fmt in ("JPEG", "PPM") and im.mode == "RGBA") or (fmt == "QOI" and im.mode == "L"):
        im = im.convert("RGB")
    im.save(out, fmt)
    return out.getvalue()


def _float_file(fmt: str, rnd: random.Random) -> bytes:
    """An EXR (half or float; Y, RGB or RGBA; scanline or tiled; a common compression) or an HDR."""
    values = np.random.default_rng(rnd.randrange(1 << 30)).random((SIDE, SIDE, 4)).astype(np.float32) * 4
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"f.{fmt.lower()}"
        if fmt == "HDR":
            texture_files.save_hdr(path, values[:, :, :3])
        else:
            layout = rnd.choice([values[:, :, 0], values[:, :, :3], values])
            compression = rnd.choice(["none", "zip", "piz", "rle", "zips"])
            texture_files.save_exr(path, layout, rnd.choice(["half", "float"]), compression,
                                   tiled=rnd.random() < 0.5)
        return path.read_bytes()


def _psd(im: Image.Image) -> bytes:
    """A minimal RGB PSD (Pillow reads PSD but cannot write it): header, empty sections, raw planes."""
    w, h = im.size
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, h, w, 8, 3)
    planes = b"".join(band.tobytes() for band in im.split())
    return header + struct.pack(">I", 0) * 3 + struct.pack(">H", 0) + planes


def _flip_bits(data: bytearray, rnd: random.Random, start: int, end: int, count: int) -> None:
    end = max(start + 1, min(end, len(data)))
    for _ in range(count):
        i = rnd.randrange(start, end)
        data[i] ^= 1 << rnd.randrange(8)


def _png_chunks(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, type) of each chunk of a PNG."""
    chunks, pos = [], 8
    while pos + 8 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        chunks.append((pos, data[pos + 4:pos + 8]))
        pos += 12 + length
    return chunks


def _absurd_size(fmt: str, data: bytearray, rnd: random.Random) -> None:
    """Declare enormous (or zero) dimensions in the header, leaving the rest as it was."""
    side = rnd.choice([0, 1, 65535, 40_000, 2**31 - 1, 2**32 - 1])
    if fmt == "PNG":
        struct.pack_into(">II", data, 16, side, rnd.choice([side, 1]))
        data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # a valid CRC: the size is the lie
    elif fmt in ("BMP",):
        struct.pack_into("<ii", data, 18, min(side, 2**31 - 1), min(side, 2**31 - 1))
    elif fmt == "DDS":
        struct.pack_into("<II", data, 12, side, side)
    elif fmt == "QOI":
        struct.pack_into(">II", data, 4, side, side)
    elif fmt == "PSD":
        struct.pack_into(">II", data, 14, side, side)
    elif fmt == "GIF":
        struct.pack_into("<HH", data, 6, side & 0xFFFF, side & 0xFFFF)
    elif fmt == "TGA":
        struct.pack_into("<HH", data, 12, side & 0xFFFF, side & 0xFFFF)
    elif fmt == "SGI":
        struct.pack_into(">HH", data, 6, side & 0xFFFF, side & 0xFFFF)
    elif fmt == "ICO":
        data[6], data[7] = side & 0xFF, (side >> 8) & 0xFF
    elif fmt == "EXR" and (at := data.find(b"dataWindow\x00box2i\x00")) >= 0:
        struct.pack_into("<iiii", data, at + 21, 0, 0, min(side, 2**31 - 1), min(side, 2**31 - 1))
    elif fmt == "HDR" and (at := data.find(b"-Y ")) >= 0:
        end = data.find(b"\n", at)
        data[at:end] = f"-Y {side} +X {side}".encode()
    else:  # formats whose size sits deeper: flip bits in the first 64 bytes instead
        _flip_bits(data, rnd, 0, 64, 4)


def _wrong_chunk_length(fmt: str, data: bytearray, rnd: random.Random) -> None:
    if fmt == "PNG":
        offset, _ = rnd.choice(_png_chunks(bytes(data)))
        struct.pack_into(">I", data, offset, rnd.choice([0, 1, 2**31 - 1, 2**32 - 1, 13 * 1000]))
    elif fmt == "TIFF" and len(data) > 16:
        order = "<I" if data[:2] == b"II" else ">I"
        ifd = struct.unpack_from(order, data, 4)[0]
        if ifd + 14 <= len(data):  # the first entry's count field
            struct.pack_into(order, data, ifd + 6, rnd.choice([0, 2**31, 2**32 - 1]))
    else:  # a length-like field early in the file
        i = rnd.randrange(4, min(40, len(data) - 4))
        struct.pack_into("<I", data, i, rnd.choice([0, 2**31 - 1, 2**32 - 1]))


MAGICS = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"DDS ", b"RIFF", b"8BPS", b"BM", b"GIF89a",
          b"qoif", b"P6\n", b"\x01\xda", b"\x00\x00\x01\x00", b"%PDF-1.4", b"%!PS", b"\x76\x2f\x31\x01",
          b"#?RADIANCE\n"]


def mutate(fmt: str, valid: bytes, rnd: random.Random, kind: str) -> bytes:
    data = bytearray(valid)
    if kind == "truncate":
        return bytes(data[:rnd.randrange(0, len(data))])
    if kind == "header_flip":
        _flip_bits(data, rnd, 0, 64, rnd.randrange(1, 6))
    elif kind == "data_flip":
        _flip_bits(data, rnd, min(64, len(data) - 1), len(data), rnd.randrange(1, 20))
    elif kind == "absurd_size":
        _absurd_size(fmt, data, rnd)
    elif kind == "chunk_length":
        _wrong_chunk_length(fmt, data, rnd)
    elif kind == "swap_magic":
        magic = rnd.choice(MAGICS)
        data[:len(magic)] = magic
    elif kind == "valid":
        pass
    return bytes(data)


KINDS = ["valid", "truncate", "header_flip", "data_flip", "absurd_size", "chunk_length", "swap_magic"]


def make_corpus(folder: Path, seed: int) -> list[Path]:
    rnd = random.Random(seed)
    files = []
    for fmt in FORMATS:
        for i in range(PER_FORMAT):
            kind = KINDS[i % len(KINDS)]
            data = mutate(fmt.name, _valid(fmt.plugins[0] if fmt.plugins else fmt.name, rnd), rnd, kind)
            path = folder / f"{fmt.name.lower()}_{i:02}_{kind}{fmt.suffixes[0]}"
            path.write_bytes(data)
            files.append(path)
    return files


def _vault(*args, timeout: float) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "VAULT_DECODE_BUDGET_MB": "256"}
    env.pop("VAULT", None)
    return subprocess.run([sys.executable, "-m", "server_api.cli.vault", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=timeout)


def test_mutated_files_each_get_one_verdict_fsck_is_clean_and_a_reimport_changes_nothing(tmp_path):
    folder = tmp_path / "fuzz"
    folder.mkdir()
    files = make_corpus(folder, SEED)
    vault_dir = tmp_path / "vault"
    assert _vault("--vault", vault_dir, "init", timeout=60).returncode == 0
    assert _vault("--vault", vault_dir, "collection", "create", "Fuzz", timeout=60).returncode == 0
    limit = 30 + PER_FILE_SECONDS * len(files)

    first = _vault("--vault", vault_dir, "import", "--collection", "Fuzz", "--json", folder, timeout=limit)
    assert first.returncode in (0, 1), first.stderr
    assert "Traceback" not in first.stderr, first.stderr
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    by_path = {line["path"]: line for line in lines}
    assert len(lines) == len(by_path) == len(files)  # exactly one line per file
    assert set(by_path) == {str(f.resolve()) for f in files}
    statuses = {line["status"] for line in lines}
    assert statuses <= {"added", "unchanged", "rejected"}
    for line in lines:
        if line["status"] == "rejected":
            assert Path(line["path"]).name in line["error"], line  # the reason names the file
    valid = [line for line in lines if "_valid." in line["path"]]
    assert all(line["status"] in ("added", "unchanged") for line in valid), valid
    assert sum(line["status"] == "rejected" for line in lines) > len(files) // 4  # the mutations bite

    fsck = _vault("--vault", vault_dir, "fsck", "--json", timeout=limit)
    report = json.loads(fsck.stdout)
    assert report["ok"], report["problems"]
    assert report["missing_thumbnails"] == report["corrupt_thumbnails"] == 0

    again = _vault("--vault", vault_dir, "import", "--collection", "Fuzz", "--json", folder, timeout=limit)
    second = {line["path"]: line for line in map(json.loads, again.stdout.splitlines())}
    assert set(second) == set(by_path)
    for path, line in by_path.items():
        expected = "rejected" if line["status"] == "rejected" else "unchanged"
        assert second[path]["status"] == expected, (line, second[path])
        if expected == "unchanged":
            assert (second[path]["texture_id"], second[path]["version"]) == (line["texture_id"], 1)
