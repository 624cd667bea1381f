"""The one table of image formats Texture Vault accepts.

Read by the probe (which Pillow plugins may open a file), the filter bar (which formats it offers),
the drop filter (which files inside a dropped folder are queued) and the README. No Pillow import:
the desktop app reads it at startup.

Deliberately absent: EPS/PS/PDF (Pillow would run Ghostscript), WMF/EMF (vector), and scientific
formats nobody paints textures in. OpenEXR and Radiance HDR have no Pillow plugin: OpenImageIO
reads them (imaging/float_images.py), chosen by their magic bytes below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImageFormat:
    name: str  # what ImageInfo.format says, what the filter bar offers and the store filters on
    suffixes: tuple[str, ...]  # lower-case file name endings (the bytes still decide the format)
    plugins: tuple[str, ...]  # Pillow plugin ids that open it; none: OpenImageIO reads it (float data)


# Common formats first: Pillow tries the plugins in this order. Multi-picture JPEGs (MPO) arrive
# through the JPEG plugin and are reported as JPEG.
FORMATS: tuple[ImageFormat, ...] = (
    ImageFormat("PNG", (".png",), ("PNG",)),
    ImageFormat("JPEG", (".jpg", ".jpeg", ".jpe", ".jfif"), ("JPEG",)),
    ImageFormat("TIFF", (".tif", ".tiff"), ("TIFF",)),
    ImageFormat("TGA", (".tga",), ("TGA",)),
    ImageFormat("DDS", (".dds",), ("DDS",)),
    ImageFormat("WEBP", (".webp",), ("WEBP",)),
    ImageFormat("PSD", (".psd",), ("PSD",)),
    ImageFormat("BMP", (".bmp", ".dib"), ("BMP", "DIB")),
    ImageFormat("GIF", (".gif",), ("GIF",)),
    ImageFormat("QOI", (".qoi",), ("QOI",)),
    ImageFormat("PPM", (".ppm", ".pgm", ".pbm", ".pnm", ".pfm"), ("PPM",)),
    ImageFormat("SGI", (".sgi", ".rgb", ".rgba", ".bw"), ("SGI",)),
    ImageFormat("ICO", (".ico",), ("ICO",)),
    ImageFormat("EXR", (".exr",), ()),
    ImageFormat("HDR", (".hdr",), ()),
)

# Float formats: what their first bytes are (the bytes decide, never the extension).
EXR_MAGIC = b"\x76\x2f\x31\x01"
HDR_MAGICS = (b"#?RADIANCE", b"#?RGBE")
FLOAT_FORMATS = frozenset({"EXR", "HDR"})

FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)
PILLOW_OPEN_ORDER: tuple[str, ...] = tuple(p for f in FORMATS for p in f.plugins)
IMAGE_SUFFIXES: frozenset[str] = frozenset(s for f in FORMATS for s in f.suffixes)
_NAME_OF_PLUGIN = {p: f.name for f in FORMATS for p in f.plugins} | {"MPO": "JPEG"}


def format_name(pillow_format: str | None) -> str:
    """The accepted format's name for what Pillow reports ("MPO" → "JPEG", "DIB" → "BMP")."""
    return _NAME_OF_PLUGIN.get(str(pillow_format), str(pillow_format))


def float_format(head: bytes) -> str | None:
    """"EXR" or "HDR" when a file's first bytes say so, else None."""
    if head.startswith(EXR_MAGIC):
        return "EXR"
    if head.startswith(HDR_MAGICS):
        return "HDR"
    return None


def has_image_suffix(filename: str) -> bool:
    """True when the name ends like a file of an accepted format (case-insensitive)."""
    dot = filename.rfind(".")
    return dot >= 0 and filename[dot:].lower() in IMAGE_SUFFIXES
