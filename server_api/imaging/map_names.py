"""What one texture file's name says: the material stem, the map role, the normal convention.

Follows Blender Node Wrangler's matching (../shared/TEXTURE_CONVENTIONS.md): lower-case, drop the
extension, split on ``_ . - #`` and spaces and on camelCase, then match role words. Unlike Node
Wrangler it reads the role from the END of the name (where every library and exporter puts it;
the start is the fallback), so a material called "rusty metal" keeps its "metal". Resolution
(``2k``, ``4096``), format (``PNG`` in ambientCG's ``2K-PNG``), variant (``v02``, ``lod0``) and
bit-depth tokens are not part of the stem. Pure function: no disk, no store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

# One token -> role. Single letters and two-letter codes only count as the name's last word.
ROLE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "albedo",
            "basecolor",
            "basecolour",
            "diffuse",
            "diff",
            "dif",
            "col",
            "color",
            "colour",
            "albedotransparency",
            "alb",
        ),
        "base_color",
    ),
    **dict.fromkeys(("normal", "nor", "nrm", "nrml", "norm", "normalmap", "normals"), "normal"),
    **dict.fromkeys(("bump", "bmp", "bumpmap"), "bump"),
    **dict.fromkeys(("roughness", "rough", "rgh"), "roughness"),
    **dict.fromkeys(("gloss", "glossy", "glossiness", "smoothness"), "glossiness"),
    **dict.fromkeys(("metallic", "metalness", "metal", "mtl", "met", "metallicsmoothness"), "metallic"),
    **dict.fromkeys(("ao", "ambientocclusion", "occlusion", "occ", "mixedao"), "ambient_occlusion"),
    **dict.fromkeys(
        ("height", "heightmap", "displacement", "displace", "disp", "dsp", "displacementmap"), "height"
    ),
    **dict.fromkeys(("opacity", "alpha", "mask", "transparency", "transparent", "cutout"), "opacity"),
    **dict.fromkeys(("emission", "emissive", "emit", "glow", "selfillum", "illumination"), "emissive"),
    **dict.fromkeys(("specular", "spec", "spc", "specularlevel", "reflection", "refl"), "specular"),
    **dict.fromkeys(
        ("transmission", "translucent", "translucency", "sss", "subsurface", "thickness"), "transmission"
    ),
    **dict.fromkeys(
        ("orm", "arm", "occlusionroughnessmetallic", "metallicroughness", "aoroughnessmetallic"), "orm"
    ),
    **dict.fromkeys(("cavity", "curvature", "fuzz", "sheen", "clearcoat", "anisotropy", "maskmap"), "other"),
}
SUFFIX_CODES: dict[str, str] = {
    "d": "base_color",
    "bc": "base_color",
    "n": "normal",
    "r": "roughness",
    "m": "metallic",
    "h": "height",
    "e": "emissive",  # Unreal's T_Name_E
}
# Several tokens that name one map (matched before single words, longest first).
PHRASES: dict[tuple[str, ...], str] = {
    ("base", "color"): "base_color",
    ("base", "colour"): "base_color",
    ("albedo", "transparency"): "base_color",
    ("ambient", "occlusion"): "ambient_occlusion",
    ("mixed", "ao"): "ambient_occlusion",
    ("occlusion", "roughness", "metallic"): "orm",
    ("ao", "roughness", "metallic"): "orm",
    ("metallic", "roughness"): "orm",
    ("metallic", "smoothness"): "metallic",
    ("rough", "ao"): "other",
    ("specular", "level"): "specular",
    ("normal", "map"): "normal",
    ("height", "map"): "height",
    ("bump", "map"): "bump",
    ("mask", "map"): "other",
}
CONVENTIONS: dict[str, str] = {
    "gl": "opengl",
    "opengl": "opengl",
    "ogl": "opengl",
    "dx": "directx",
    "directx": "directx",
}
# Normal words with the convention glued on ("NormalGL" in ambientCG).
for _word in ("normal", "nor", "nrm", "norm"):
    for _tail, _convention in CONVENTIONS.items():
        ROLE_WORDS.setdefault(_word + _tail, "normal")
GLUED_CONVENTION = {w + t: c for w in ("normal", "nor", "nrm", "norm") for t, c in CONVENTIONS.items()}

FORMATS = frozenset(("png", "jpg", "jpeg", "tif", "tiff", "exr", "tga", "psd", "webp", "dds", "ktx"))
FILLERS = frozenset(("map", "tex", "texture", "srgb", "linear", "lin", "raw", "hq", "lq", "final"))
_QUALIFIER = re.compile(r"(\d+k|\d{3,5}|\d+x\d+|\d+px|v\d+|lod\d+|var\d+|\d+bit|\d+bpc|\d+)")
_RESOLUTION = re.compile(r"(\d+k|256|512|1024|2048|4096|8192|16384|\d+x\d+|\d+px)")
_GLUED_DEPTH = re.compile(r"([a-z]+)(8|16|32)$")  # Poliigon's NRM16 / BUMP16: a role with its bit depth
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Token:
    text: str  # as written
    low: str
    start: int  # position in the file's base name
    end: int


@dataclass(frozen=True)
class FileRole:
    """One file's reading. ``role`` None: the name names no map."""

    file_name: str
    base: str  # the name without its extension
    stem: tuple[Token, ...]  # what names the material (empty: a bare role name like "albedo.jpg")
    role: str | None
    normal_convention: str | None
    role_tokens: tuple[str, ...]  # the words that matched, as written
    qualifiers: tuple[Token, ...]  # resolution, format, variant tokens that were dropped

    @property
    def stem_key(self) -> str:
        return " ".join(t.low for t in self.stem)

    @property
    def signature(self) -> tuple[str, ...]:
        return tuple(t.low for t in self.qualifiers if t.low not in FILLERS)

    @property
    def resolution(self) -> tuple[str, ...]:
        """The resolution tokens ("2k", "4096"): what tells two sets of one material apart."""
        return tuple(t.low for t in self.qualifiers if _RESOLUTION.fullmatch(t.low))

    @property
    def why(self) -> str:
        if self.role is None:
            return f"{self.file_name}: no map role in its name"
        said = " + ".join(repr(t) for t in self.role_tokens)
        convention = f" ({self.normal_convention})" if self.normal_convention else ""
        dropped = f"; dropped {', '.join(repr(t.text) for t in self.qualifiers)}" if self.qualifiers else ""
        return f"{self.file_name}: {said} -> {self.role}{convention}{dropped}"


def tokenize(base: str) -> list[Token]:
    """Words of a base name: split on separators, then camelCase unless the whole word is known."""
    tokens: list[Token] = []
    for match in re.finditer(r"[^_.\-#\s]+", base):
        word, at = match.group(), match.start()
        parts = [word] if _known(word.lower()) else _rejoin_known(_CAMEL.sub(" ", word).split())
        parts = [piece for part in parts for piece in _split_glued_depth(part)]
        offset = at
        for part in parts:
            start = base.index(part, offset)
            tokens.append(Token(part, part.lower(), start, start + len(part)))
            offset = start + len(part)
    return tokens


def _split_glued_depth(word: str) -> list[str]:
    """"NRM16" -> ["NRM", "16"] when the letters are a role word (the digits become a qualifier)."""
    glued = _GLUED_DEPTH.match(word.lower())
    if glued is None or glued.group(1) not in ROLE_WORDS:
        return [word]
    cut = len(glued.group(1))
    return [word[:cut], word[cut:]]


def read_name(path: str) -> FileRole:
    """Stem, role and convention of one file name."""
    name = PurePath(path).name
    base = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    tokens = tokenize(base)
    end = len(tokens)
    while end > 0 and _is_qualifier(tokens[end - 1].low):
        end -= 1
    at_end = _role_ending_at(tokens, end)
    if at_end is not None:
        start, role, convention = at_end
        stem, words, tail = tokens[:start], tokens[start:end], tokens[end:]
    else:
        at_start = _role_starting_at(tokens)
        if at_start is None:
            return FileRole(name, base, tuple(tokens), None, None, (), ())
        stop, role, convention = at_start
        stem, words, tail = tokens[stop:], tokens[:stop], []
    qualifiers = [t for t in stem if _is_resolution_or_format(t.low)] + tail
    stem = [t for t in stem if not _is_resolution_or_format(t.low)]
    if len(stem) > 1 and stem[0].low == "t":  # Unreal's T_ prefix says "texture", not the material
        stem = stem[1:]
    return FileRole(
        name, base, tuple(stem), role, convention, tuple(t.text for t in words), tuple(qualifiers)
    )


def _role_ending_at(tokens: list[Token], end: int) -> tuple[int, str, str | None] | None:
    """(first token of the role words, role, convention) for role words ending just before ``end``."""
    if end == 0:
        return None
    last = tokens[end - 1].low
    if last in CONVENTIONS and end >= 2 and ROLE_WORDS.get(tokens[end - 2].low) == "normal":
        return end - 2, "normal", CONVENTIONS[last]
    for length in (3, 2):
        if end >= length and tuple(t.low for t in tokens[end - length : end]) in PHRASES:
            return end - length, PHRASES[tuple(t.low for t in tokens[end - length : end])], None
    if last in ROLE_WORDS:
        return end - 1, ROLE_WORDS[last], GLUED_CONVENTION.get(last)
    if last in SUFFIX_CODES and end >= 2:
        return end - 1, SUFFIX_CODES[last], None
    return None


def _role_starting_at(tokens: list[Token]) -> tuple[int, str, str | None] | None:
    """Role words at the start of a name ("Albedo_Brick"): (first token after them, role, convention)."""
    start, rest = 0, len(tokens)
    for length in (3, 2):
        words = tuple(t.low for t in tokens[start : start + length])
        if rest > length and words in PHRASES:
            return start + length, PHRASES[words], None
    if rest > 1 and tokens[start].low in ROLE_WORDS and len(tokens[start].low) > 2:
        low = tokens[start].low
        if rest > 2 and tokens[start + 1].low in CONVENTIONS and ROLE_WORDS[low] == "normal":
            return start + 2, "normal", CONVENTIONS[tokens[start + 1].low]
        return start + 1, ROLE_WORDS[low], GLUED_CONVENTION.get(low)
    return None


def _rejoin_known(parts: list[str]) -> list[str]:
    """camelCase parts that together make one known word ("Open" "GL" -> "OpenGL")."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        for size in (3, 2, 1):
            joined = "".join(parts[i : i + size])
            if size == 1 or (i + size <= len(parts) and _known(joined.lower())):
                out.append(joined)
                i += size
                break
    return out


def _known(low: str) -> bool:
    return low in ROLE_WORDS or low in CONVENTIONS or _is_qualifier(low)


def _is_qualifier(low: str) -> bool:
    return low in FORMATS or low in FILLERS or bool(_QUALIFIER.fullmatch(low))


def _is_resolution_or_format(low: str) -> bool:
    return low in FORMATS or bool(_RESOLUTION.fullmatch(low))
