"""What an image looks like, small enough to search: a 64-bit perceptual hash and a dominant palette.

Pure functions of a decoded (small) image; the import computes both from its thumbnail, the pixels the
analysis already decoded (analysis.analyze), so no second decode of the file.

- ``phash``: Hydrus's recipe. Alpha composited on white, grey, 32×32 (area average), a 2-D DCT-II
  (written as a 32×32 matrix product: no scipy), the top-left 8×8 low frequencies, each bit "above the
  median of the 63 non-DC terms". One change, measured (tests/similar_images.py, 200 pictures × 4
  edits): a bit is set only when its term is above the median by more than DEAD_BAND of the largest
  term's distance from it. A smooth picture (a gradient) has most terms near zero, where the plain
  median flips bits at random under any edit: 201 of 800 edited copies ended more than 15 bits from
  their original; with the dead band 9. Near-blank images (almost flat grey) get no hash: every flat
  image would be "identical" to every other.
- ``palette``: up to 5 dominant colours in CIE Lab (D65) with their shares of the opaque pixels:
  Pillow's fast octree quantizer on a 32×32 copy, entries nearer than MERGE_DELTA_E joined. The
  k-means (Lloyd) steps in Lab that used to follow were dropped: dozens of small numpy calls per
  image, each holding the GIL, made them the server's busiest code during an import (py-spy).
  Colour distance is ΔE76 (Euclidean in Lab): good enough to rank, and a database can compute it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

HASH_SIDE = 32
PALETTE_SIDE = 32  # 1,024 pixels: 0.9 ms a palette; 64 (4,096) cost 1.7 ms for the same dominant colours
MAX_COLOURS = 5
MIN_SHARE = 0.02  # a colour on fewer pixels than this is noise, not a dominant colour
MERGE_DELTA_E = 8.0  # palette entries nearer than this are one colour (below CELL: one search cell)
DEAD_BAND = 0.03  # of the largest coefficient's distance from the median: see phash()
FLAT_GREY_STD = 1.5  # grey levels (0..255): below this spread at 32×32 the image is near-blank
CELL = 10.0  # Lab units per side of a colour-search cell (lab_cell)
_OPAQUE_LUT = [0] * 128 + [255] * 128  # alpha >= 128 counts as opaque (a table: a lambda is 256 calls)
# Which recipe made a stored fingerprint (blob_hash.recipe): bump it when phash() or palette() change
# what their numbers mean; `vault reindex` then recomputes the older rows (server-side, in batches).
RECIPE = 2  # 2: hash and palette from one 32×32 average of the pre-encoding pixels; octree palette
_A_B_CELLS = 26  # a and b run -128..127: 26 cells of 10


@dataclass(frozen=True)
class LabColour:
    l: float  # noqa: E741  (CIE L*: the name everyone uses)
    a: float
    b: float
    weight: float  # share of the (opaque) pixels, 0..1


@dataclass(frozen=True)
class Fingerprint:
    phash: int | None  # 64 bits, unsigned; None for a near-blank image
    palette: tuple[LabColour, ...]  # biggest share first; empty when nothing is opaque


def fingerprint(im: Image.Image) -> Fingerprint:
    """Both from one 32×32 area average (phash and palette each reduce to that size anyway; the
    average commutes with compositing on white and with the grey conversion, so the hash is the one
    a full-size image gives, to rounding)."""
    if im.mode in ("RGB", "RGBA", "L", "LA") and im.size != (HASH_SIDE, HASH_SIDE):
        im = im.resize((HASH_SIDE, HASH_SIDE), Image.Resampling.BOX)
    return Fingerprint(phash(im), palette(im))


# ---- perceptual hash -------------------------------------------------------------------------------

def _dct_matrix(n: int) -> np.ndarray:
    """The orthonormal DCT-II matrix: ``D @ x`` is the DCT of a column ``x``."""
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    d = np.sqrt(2.0 / n) * np.cos(np.pi * (2 * i + 1) * k / (2 * n))
    d[0, :] = np.sqrt(1.0 / n)
    return d


_DCT = _dct_matrix(HASH_SIDE)


def phash(im: Image.Image) -> int | None:
    grey = np.asarray(on_white(im).convert("L").resize((HASH_SIDE, HASH_SIDE), Image.Resampling.BOX),
                      dtype=np.float64)
    if grey.std() < FLAT_GREY_STD:
        return None
    low = (_DCT @ grey @ _DCT.T)[:8, :8].flatten()
    median = np.median(low[1:])
    bits = low > median + DEAD_BAND * np.abs(low[1:] - median).max()
    return int(sum(1 << (63 - i) for i, bit in enumerate(bits) if bit))


def on_white(im: Image.Image) -> Image.Image:
    """RGB, with any transparency composited over white (a cut-out's hidden pixels do not count)."""
    if im.mode in ("P", "PA") or (im.mode in ("L", "RGB") and "transparency" in im.info):
        im = im.convert("RGBA")
    if im.mode in ("LA", "La", "RGBa"):
        im = im.convert("RGBA")
    if im.mode == "RGBA":
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, im).convert("RGB")
    return im.convert("RGB")


def distance(a: int, b: int) -> int:
    """Hamming distance of two 64-bit hashes."""
    return (a ^ b).bit_count()


def bands(h: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands, most significant first (multi-index hashing keys)."""
    return tuple((h >> shift) & 0xFFFF for shift in (48, 32, 16, 0))


def to_signed(h: int) -> int:
    """The 64-bit hash as a signed BIGINT (databases have no unsigned 64-bit column)."""
    return h - (1 << 64) if h >= 1 << 63 else h


def to_unsigned(h: int) -> int:
    return h + (1 << 64) if h < 0 else h


def near_bands(band: int, bits: int) -> list[int]:
    """Every 16-bit value within ``bits`` flipped bits of ``band`` (itself included)."""
    out, frontier = [band], [(band, -1)]
    for _ in range(bits):
        frontier = [(value ^ (1 << bit), bit) for value, last in frontier for bit in range(last + 1, 16)]
        out.extend(value for value, _ in frontier)
    return out


# ---- palette ---------------------------------------------------------------------------------------

def palette(im: Image.Image) -> tuple[LabColour, ...]:
    if im.mode in ("RGB", "RGBA", "L", "LA") and im.size != (PALETTE_SIDE, PALETTE_SIDE):
        im = im.resize((PALETTE_SIDE, PALETTE_SIDE), Image.Resampling.BOX)  # shrink, then convert
    rgba = _rgba(im)
    if rgba.size != (PALETTE_SIDE, PALETTE_SIDE):
        rgba = rgba.resize((PALETTE_SIDE, PALETTE_SIDE), Image.Resampling.BOX)
    opaque = rgba.getchannel("A").point(_OPAQUE_LUT)
    quantized = on_white(rgba).quantize(colors=MAX_COLOURS, method=Image.Quantize.FASTOCTREE)
    counts = quantized.histogram(mask=opaque)[:MAX_COLOURS]  # opaque pixels per palette entry
    total = sum(counts)
    if not total:
        return ()
    used = [i for i, n in enumerate(counts) if n]
    flat = quantized.getpalette()[:3 * MAX_COLOURS]
    lab = srgb_to_lab(np.array([flat[3 * i:3 * i + 3] for i in used], dtype=np.float64) / 255.0)
    colours = _merged([(counts[i] / total, *map(float, lab[k])) for k, i in enumerate(used)])
    return tuple(LabColour(round(c[1], 2), round(c[2], 2), round(c[3], 2), round(c[0], 4))
                 for c in sorted(colours, key=lambda c: -c[0]) if c[0] >= MIN_SHARE)


def _merged(colours: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """(share, L, a, b) entries closer than MERGE_DELTA_E joined into their weighted mean: the octree
    cuts RGB space into cubes, so one dominant colour on a cube's border comes out as two."""
    out: list[tuple[float, float, float, float]] = []
    for w, l, a, b in sorted(colours, key=lambda c: -c[0]):  # noqa: E741
        for k, (w2, l2, a2, b2) in enumerate(out):
            if (l - l2) ** 2 + (a - a2) ** 2 + (b - b2) ** 2 < MERGE_DELTA_E ** 2:
                t = w + w2
                out[k] = (t, (l * w + l2 * w2) / t, (a * w + a2 * w2) / t, (b * w + b2 * w2) / t)
                break
        else:
            out.append((w, l, a, b))
    return out


def _rgba(im: Image.Image) -> Image.Image:
    if im.mode == "RGBA":
        return im
    if im.mode in ("P", "PA", "LA", "La", "RGBa") or "transparency" in im.info:
        return im.convert("RGBA")
    return im.convert("RGB").convert("RGBA")


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0..1, rows of 3) -> CIE Lab (D65)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.array([[0.4124564, 0.2126729, 0.0193339],
                             [0.3575761, 0.7151522, 0.1191920],
                             [0.1804375, 0.0721750, 0.9503041]])
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def hex_to_lab(text: str) -> tuple[float, float, float]:
    """'#8a5a2b' (or '8a5a2b', or '#8a5') -> Lab; ValueError naming what is wanted."""
    value = text.strip().lstrip("#").lower()
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError("a colour like #8a5a2b")
    rgb = np.array([[int(value[i:i + 2], 16) for i in (0, 2, 4)]], dtype=np.float64) / 255.0
    lab = srgb_to_lab(rgb)[0]
    return float(lab[0]), float(lab[1]), float(lab[2])


def lab_cell(l: float, a: float, b: float) -> int:  # noqa: E741
    """The CELL-sized Lab cube a colour falls in, as one integer (indexed in blob_colour)."""
    li = min(10, max(0, int(l // CELL)))
    ai = min(_A_B_CELLS - 1, max(0, int((a + 128) // CELL)))
    bi = min(_A_B_CELLS - 1, max(0, int((b + 128) // CELL)))
    return (li * _A_B_CELLS + ai) * _A_B_CELLS + bi


def cells_near(l: float, a: float, b: float, radius: float) -> list[int]:  # noqa: E741
    """Every cell holding some colour within ``radius`` of (l, a, b) (the cells of the cube around it)."""
    def steps(centre: float) -> list[float]:
        return [*np.arange(centre - radius, centre + radius, CELL), centre + radius]

    return sorted({lab_cell(li, ai, bi) for li in steps(l) for ai in steps(a) for bi in steps(b)})


def palette_distance(a: tuple[LabColour, ...], b: tuple[LabColour, ...]) -> float:
    """How far apart two palettes are (ΔE76): each colour's distance to the other palette's nearest,
    weighted by its share, averaged both ways. 100 when either has no colours."""
    if not a or not b:
        return 100.0
    la, lb = (np.array([[c.l, c.a, c.b] for c in p]) for p in (a, b))
    wa, wb = (np.array([c.weight for c in p]) for p in (a, b))
    d = np.sqrt(((la[:, None, :] - lb[None, :, :]) ** 2).sum(axis=2))
    return float((d.min(axis=1) @ wa / wa.sum() + d.min(axis=0) @ wb / wb.sum()) / 2)


def colour_score(delta_e: float, weight: float) -> float:
    """How well a palette colour answers a colour search (lower is better): its ΔE from the colour
    asked for, plus up to 30 for a small share (a colour on 5% of the pixels ranks well below one
    covering the whole texture at the same distance)."""
    return delta_e + 30.0 * (1.0 - weight)
