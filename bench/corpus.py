"""A synthetic texture corpus for benchmarks: files that weigh and decode like real textures.

Pure gradients compress 20x better than painted textures and would flatter every number, so each
image mixes soft shapes with blurred and fine noise (a 2K RGBA PNG comes out near 10 MB, a 2K JPEG
near 1.5 MB). Each file differs by seed; generation runs on a thread pool (Pillow releases the GIL).

    python bench/corpus.py OUT_DIR [--jpeg 20] [--png 20] [--tiff16 20] [--side 2048]
"""

from __future__ import annotations

import argparse
import os
import random
import struct
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter


def texture_rgb(side: int, seed: int) -> Image.Image:
    """Per channel: a gradient, blurred blotches and grain. One grain image serves all three
    channels, shifted, which keeps generation cheap without making the channels equal."""
    rnd = random.Random(seed)
    grain = Image.effect_noise((side, side), rnd.uniform(6, 14))
    channels = []
    for i in range(3):
        gradient = Image.linear_gradient("L").rotate(rnd.uniform(0, 360)).resize((side, side))
        blotches = Image.effect_noise((side // 8, side // 8), 60)
        blotches = blotches.resize((side, side), Image.Resampling.BICUBIC)
        shifted = ImageChops.offset(grain, rnd.randrange(side), rnd.randrange(side)) if i else grain
        channels.append(ImageChops.add(ImageChops.blend(gradient, blotches, 0.5), shifted, offset=-128))
    return Image.merge("RGB", channels)


def texture_rgba(side: int, seed: int) -> Image.Image:
    """A cut-out (decal/foliage): alpha with soft edges, fully clear and fully opaque areas."""
    rnd = random.Random(seed + 1_000_003)
    ring = Image.radial_gradient("L").resize((side, side))
    alpha = ring.point(lambda v: 255 if v < 90 else max(0, 400 - 3 * v))
    alpha = alpha.rotate(rnd.uniform(0, 90)).filter(ImageFilter.BoxBlur(4))
    return Image.merge("RGBA", (*texture_rgb(side, seed).split(), alpha))


def texture_gray16(side: int, seed: int) -> Image.Image:
    """A 16-bit heightmap (mode I;16): smooth terrain with fine detail in the low bits."""
    pixels = bytearray(side * side * 2)
    pixels[1::2] = texture_rgb(side, seed).getchannel(0).tobytes()  # little-endian: high byte second
    pixels[0::2] = Image.effect_noise((side, side), 40).tobytes()
    return Image.frombytes("I;16", (side, side), bytes(pixels))


def tiff48_bytes(im: Image.Image) -> bytes:
    """An uncompressed 48-bit RGB TIFF (Pillow writes 8-bit RGB only): 16 bits per channel, with
    the 8-bit values in the high byte and seeded noise in the low byte."""
    w, h = im.size
    pixels = bytearray(w * h * 6)
    low = Image.effect_noise((w, h), 64).tobytes()
    for i, band in enumerate(im.split()):
        pixels[2 * i + 1 :: 6] = band.tobytes()  # little-endian: high byte second
        pixels[2 * i :: 6] = low
    entries = [  # (tag, type, count, value-or-offset); BitsPerSample's three SHORTs live after the IFD
        (256, 4, 1, w), (257, 4, 1, h), (258, 3, 3, None), (259, 3, 1, 1), (262, 3, 1, 2),
        (273, 4, 1, None), (277, 3, 1, 3), (278, 4, 1, h), (279, 4, 1, len(pixels)), (284, 3, 1, 1),
    ]
    bits_at = 8 + 2 + 12 * len(entries) + 4
    data_at = bits_at + 6
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        value = {258: bits_at, 273: data_at}.get(tag, value)
        packed = struct.pack("<HH", value, 0) if typ == 3 and count == 1 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, typ, count) + packed
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<HHH", 16, 16, 16) + bytes(pixels)


def _write(kind: str, index: int, out: Path, side: int) -> Path:
    seed = index * 7919 + len(kind)
    if kind == "jpeg":
        path = out / f"albedo_{index:04d}.jpg"
        texture_rgb(side, seed).save(path, "JPEG", quality=92)
    elif kind == "png":
        path = out / f"decal_{index:04d}.png"
        # Level 2 rather than 6 saves seconds per file here; decoding costs the same either way.
        texture_rgba(side, seed).save(path, "PNG", compress_level=2)
    elif index % 2 == 0:  # 16-bit TIFFs: half greyscale heightmaps, half 48-bit RGB
        path = out / f"height_{index:04d}.tif"
        texture_gray16(side, seed).save(path, "TIFF", compression="tiff_deflate")
    else:
        path = out / f"albedo16_{index:04d}.tif"
        path.write_bytes(tiff48_bytes(texture_rgb(side, seed)))
    return path


def make_corpus(out: str | os.PathLike[str], *, jpeg: int = 20, png: int = 20, tiff16: int = 20,
                side: int = 2048) -> list[Path]:
    """Write the corpus into ``out`` and return the file paths (sorted)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [("jpeg", i) for i in range(jpeg)] + [("png", i) for i in range(png)]
    jobs += [("tiff16", i) for i in range(tiff16)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        paths = list(pool.map(lambda job: _write(job[0], job[1], out, side), jobs))
    return sorted(paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--jpeg", type=int, default=20)
    parser.add_argument("--png", type=int, default=20)
    parser.add_argument("--tiff16", type=int, default=20)
    parser.add_argument("--side", type=int, default=2048)
    args = parser.parse_args(argv)
    paths = make_corpus(args.out, jpeg=args.jpeg, png=args.png, tiff16=args.tiff16, side=args.side)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {total / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
