"""A texture's colour space — srgb, linear or unknown — and why (issue 13; TEXTURE_CONVENTIONS.md).

The file's own word wins: float data (EXR, HDR) is linear light; an ICC profile's description, a
PNG sRGB chunk, or a PNG gAMA of 1/2.2 (sRGB) or 1.0 (linear). A file that says nothing is judged
by its map role: data maps (normal, roughness, metallic, AO, height …) are linear, colour maps
(base colour, emissive) sRGB. Pure: ``file_evidence`` reads an opened (not decoded) Pillow image.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

SRGB, LINEAR, UNKNOWN = "srgb", "linear", "unknown"
COLOUR_SPACES = (SRGB, LINEAR, UNKNOWN)
# Map roles (imaging/map_names.py) -> the colour space their data is in when the file says nothing.
ROLE_SPACES: dict[str, str] = {
    "base_color": SRGB, "emissive": SRGB,
    **dict.fromkeys(("normal", "bump", "roughness", "glossiness", "metallic", "ambient_occlusion",
                     "height", "opacity", "transmission", "orm"), LINEAR),
}
_SRGB_GAMMA, _GAMMA_TOLERANCE = 1 / 2.2, 0.01


@dataclass(frozen=True)
class ColourSpace:
    space: str  # srgb | linear | unknown
    why: str  # what decided it, for details and the viewer

    def label(self) -> str:
        return {SRGB: "sRGB", LINEAR: "linear", UNKNOWN: "unknown"}[self.space] + f" ({self.why})"


def file_evidence(im) -> ColourSpace:
    """What an opened Pillow image's header says: ICC profile, PNG sRGB chunk, PNG gAMA."""
    icc = im.info.get("icc_profile")
    if icc:
        description = _icc_description(icc)
        low = description.lower()
        if "srgb" in low:
            return ColourSpace(SRGB, f"ICC profile '{description}'")
        if "linear" in low:
            return ColourSpace(LINEAR, f"ICC profile '{description}'")
        return ColourSpace(UNKNOWN, f"ICC profile '{description}' is neither sRGB nor linear")
    if "srgb" in im.info:
        return ColourSpace(SRGB, "PNG sRGB chunk")
    gamma = im.info.get("gamma")
    if isinstance(gamma, int | float):
        if abs(gamma - _SRGB_GAMMA) < _GAMMA_TOLERANCE:
            return ColourSpace(SRGB, f"PNG gAMA {gamma:.5f}")
        if abs(gamma - 1.0) < _GAMMA_TOLERANCE:
            return ColourSpace(LINEAR, "PNG gAMA 1.0")
    return ColourSpace(UNKNOWN, "the file names no colour space")


def decide(evidence: ColourSpace, *, is_float: bool, role: str | None) -> ColourSpace:
    """The colour space from the file's evidence, float data, then the map role."""
    if is_float:
        return ColourSpace(LINEAR, "float data is linear light")
    if evidence.space != UNKNOWN:
        return evidence
    space = ROLE_SPACES.get(role or "")
    if space:
        kind = "colour" if space == SRGB else "data"
        return ColourSpace(space, f"a {role.replace('_', ' ')} map is {kind}; {evidence.why}")
    return evidence


def stored_space(file_space: str, name: str) -> str:
    """What an import stores: the file's own word (float data already says linear), else the role
    that ``name`` (imaging/map_names.py) gives, else unknown."""
    from server_api.imaging.map_names import read_name

    if file_space != UNKNOWN:
        return file_space
    return ROLE_SPACES.get(read_name(name).role or "", UNKNOWN)


def is_data(name: str) -> bool:
    """Does the name's map role hold data (normal, roughness, height ...) rather than colour?"""
    from server_api.imaging.map_names import read_name

    return ROLE_SPACES.get(read_name(name).role or "") == LINEAR


def encode_for_display(stored_space: str, is_float: bool, name: str) -> bool:
    """Show these values through the sRGB curve? Linear COLOUR yes (float or a linear-tagged colour
    map); data maps show their values as they are (data as data); sRGB values already are."""
    return (stored_space == LINEAR or is_float) and not is_data(name)


def _icc_description(icc: bytes) -> str:
    try:
        from PIL import ImageCms
    except ImportError:  # Pillow built without littlecms
        return "unreadable"
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return (ImageCms.getProfileDescription(profile) or "").strip() or "unnamed"
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return "unreadable"
