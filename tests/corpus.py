"""Real image files written by Pillow for tests (no binary fixtures in the repo).

``write_image(path, kind)`` writes one file of a named kind; ``KINDS`` lists them. Pixel content
depends on ``seed`` so two calls with different seeds give different bytes (new versions).
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

from PIL import Image

KINDS = (
    "png_rgb", "png_rgba", "png_16", "png_palette", "jpeg", "tiff_8", "tiff_16_gray", "tiff_48_rgb",
    "tga", "webp", "bmp", "gif", "dds",
)


def _pattern(mode: str, size: tuple[int, int], seed: int) -> Image.Image:
    """A gradient with a seeded tint: cheap, compresses like real art, differs per seed."""
    w, h = size
    rnd = random.Random(seed)
    tint = tuple(rnd.randrange(256) for _ in range(3))
    base = Image.linear_gradient("L").resize((w, h))
    rgb = Image.merge("RGB", [base.point(lambda v, t=t: (v + t) % 256) for t in tint])
    if mode == "RGB":
        return rgb
    if mode == "RGBA":
        alpha = Image.radial_gradient("L").resize((w, h))
        return Image.merge("RGBA", (*rgb.split(), alpha))
    if mode == "L":
        return rgb.convert("L")
    if mode == "P":
        return rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    raise ValueError(mode)


def write_image(path: str | Path, kind: str = "png_rgb", size: tuple[int, int] = (64, 48),
                seed: int = 0) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "png_rgb":
        _pattern("RGB", size, seed).save(path, "PNG")
    elif kind == "png_rgba":
        _pattern("RGBA", size, seed).save(path, "PNG")
    elif kind == "png_palette":
        _pattern("P", size, seed).save(path, "PNG")
    elif kind == "png_16":
        path.write_bytes(png16_rgb_bytes(size, seed))
    elif kind == "jpeg":
        _pattern("RGB", size, seed).save(path, "JPEG", quality=90)
    elif kind == "tiff_8":
        _pattern("RGB", size, seed).save(path, "TIFF")
    elif kind == "tiff_16_gray":
        gray = _pattern("L", size, seed)
        Image.frombytes("I;16", size, bytes(b for v in gray.tobytes() for b in (v, v))).save(
            path, "TIFF")
    elif kind == "tiff_48_rgb":
        path.write_bytes(tiff48_rgb_bytes(size, seed))
    elif kind == "tga":
        _pattern("RGBA", size, seed).save(path, "TGA")
    elif kind == "webp":
        _pattern("RGB", size, seed).save(path, "WEBP", quality=80)
    elif kind == "bmp":
        _pattern("RGB", size, seed).save(path, "BMP")
    elif kind == "gif":
        _pattern("P", size, seed).save(path, "GIF")
    elif kind == "dds":
        _pattern("RGBA", size, seed).save(path, "DDS")
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return path


def png16_rgb_bytes(size: tuple[int, int], seed: int = 0) -> bytes:
    """A true 16-bit-per-channel RGB PNG (Pillow cannot write one, and reads it as mode RGB)."""
    w, h = size
    rnd = random.Random(seed)
    off = rnd.randrange(65536)
    rows = b"".join(
        b"\x00" + b"".join(struct.pack(">HHH", (x * 997 + off) % 65536, (y * 499) % 65536,
                                       (x * y + off) % 65536) for x in range(w))
        for y in range(h)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def tiff48_rgb_bytes(size: tuple[int, int], seed: int = 0) -> bytes:
    """An uncompressed 48-bit RGB TIFF (BitsPerSample 16,16,16), written by hand."""
    w, h = size
    rnd = random.Random(seed)
    off = rnd.randrange(65536)
    pixels = b"".join(struct.pack("<HHH", (x * 977 + off) % 65536, (y * 313) % 65536,
                                  (x + y + off) % 65536) for y in range(h) for x in range(w))
    entries = []  # (tag, type, count, value-or-offset)
    header = 8
    n_tags = 10
    ifd_size = 2 + n_tags * 12 + 4
    bps_off = header + ifd_size
    data_off = bps_off + 6
    entries = [
        (256, 4, 1, w), (257, 4, 1, h), (258, 3, 3, bps_off), (259, 3, 1, 1), (262, 3, 1, 2),
        (273, 4, 1, data_off), (277, 3, 1, 3), (278, 4, 1, h), (279, 4, 1, len(pixels)),
        (284, 3, 1, 1),
    ]
    ifd = struct.pack("<H", n_tags)
    for tag, typ, count, value in entries:
        if typ == 3 and count == 1:
            ifd += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, typ, count, value)
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", header) + ifd + struct.pack("<HHH", 16, 16, 16) + pixels


def write_corrupt(path: str | Path) -> Path:
    """PNG signature then garbage: looks like a PNG by name and magic, cannot decode."""
    path = Path(path)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return path


def write_truncated(path: str | Path, kind: str = "png_rgb", size=(256, 256)) -> Path:
    """A real image cut in half."""
    path = write_image(path, kind, size)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def write_unsupported(path: str | Path) -> Path:
    """Not an image at all (a text file named like one)."""
    path = Path(path)
    path.write_text("this is not an image\n")
    return path
