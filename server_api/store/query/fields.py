"""The one table of query fields: their names, what values they take, and how a value is checked.

The parser reads it, the SQL compiler handles each name, the filter bar and the README list it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from server_api.imaging.formats import FORMAT_NAMES, FORMATS
from server_api.store.material_entities import MATERIAL_ROLES

YES, NO = ("yes", "true", "1", "y"), ("no", "false", "0", "n")
COMPARISONS = (">=", "<=", ">", "<", "=")


@dataclass(frozen=True)
class QueryField:
    name: str
    help: str  # one line, shown in errors and completion
    convert: Callable[[str], Any]  # one value as typed -> the typed value; ValueError if bad
    compares: bool = False  # takes >, >=, <, <= before the value
    many: bool = True  # takes a comma list (any of them)


def _format(value: str) -> str:
    low = value.lower().lstrip(".")
    for fmt in FORMATS:
        if low == fmt.name.lower() or "." + low in fmt.suffixes:
            return fmt.name
    raise ValueError(f"one of {', '.join(n.lower() for n in FORMAT_NAMES)}")


def _whole(value: str) -> int:
    text = value.lower().removesuffix("px")
    scale = 1024 if text.endswith("k") else 1
    text = text.removesuffix("k")
    if not text.isdigit() or len(text) > 9:
        raise ValueError("a whole number of pixels like 2048 or 2k")
    return int(text) * scale


def _depth(value: str) -> int:
    if value not in ("1", "8", "16", "32"):
        raise ValueError("8, 16 or 32 bits per channel (1 for bilevel)")
    return int(value)


def _yes_no(value: str) -> bool:
    if value.lower() in YES:
        return True
    if value.lower() in NO:
        return False
    raise ValueError("yes or no")


def _day(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("a date like 2026-01-31") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _role(value: str) -> str:
    if value.lower() not in MATERIAL_ROLES:
        raise ValueError(f"a material role: {', '.join(MATERIAL_ROLES)}")
    return value.lower()


_REVIEW = {"needs": "needs_review", "approved": "approved", "changes": "changes_requested"}


def _review(value: str) -> str:
    low = value.lower()
    for short, status in _REVIEW.items():
        if low in (short, status):
            return status
    raise ValueError(f"a review status: {', '.join(_REVIEW)}")


_QA = {"warnings": "warnings", "warning": "warnings", "errors": "errors", "error": "errors", "none": "none"}


def _qa(value: str) -> str:
    """What the QA rules found on the current version (store/qa_rules.py)."""
    if value.lower() not in _QA:
        raise ValueError("warnings, errors or none")
    return _QA[value.lower()]


def _similar(value: str) -> tuple[int, int]:
    """``123`` or ``123~8``: a texture id and how many bits its hash may differ (similar_api)."""
    from server_api.store.similar_api import MAX_DISTANCE, SIMILAR_DISTANCE

    ident, tilde, bits = value.partition("~")
    far_ok = not tilde or (bits.isdigit() and int(bits) <= MAX_DISTANCE)
    if not ident.isdigit() or len(ident) > 9 or not far_ok:
        raise ValueError(f"a texture id, optionally ~ 0..{MAX_DISTANCE} bits: similar:123, similar:123~6")
    return int(ident), int(bits) if tilde else SIMILAR_DISTANCE


def _colour(value: str) -> tuple[float, float, float, float]:
    """``#8a5a2b`` or ``#8a5a2b~25``: a colour (as Lab) and how far (ΔE) a palette colour may be."""
    from server_api.imaging.fingerprint import hex_to_lab
    from server_api.store.similar_api import COLOUR_DISTANCE, MAX_COLOUR_DISTANCE

    text, tilde, radius = value.partition("~")
    if tilde and not (radius.isdigit() and 1 <= int(radius) <= MAX_COLOUR_DISTANCE):
        raise ValueError(f"a colour like #8a5a2b, optionally ~ a distance 1..{MAX_COLOUR_DISTANCE}")
    return (*hex_to_lab(text), float(radius) if tilde else COLOUR_DISTANCE)


def _name(value: str) -> str:
    if not value or len(value) > 200 or any(ord(c) < 32 for c in value):
        raise ValueError("a name of 1 to 200 printable characters")
    return value.lower()


FIELDS: dict[str, QueryField] = {f.name: f for f in (
    QueryField("tag", "a tag, its child tags and aliases: tag:wood", _name),
    QueryField("format", "file format: format:png,tga", _format),
    QueryField("size", "both sides, in pixels: size:>=2048, size:<512", _whole, compares=True),
    QueryField("width", "width in pixels: width:>=1024", _whole, compares=True),
    QueryField("height", "height in pixels: height:4k", _whole, compares=True),
    QueryField("depth", "bits per channel: depth:16", _depth),
    QueryField("alpha", "has an alpha channel: alpha:yes", _yes_no, many=False),
    QueryField("added", "day the texture was added: added:>2026-01-01", _day, compares=True,
               many=False),
    QueryField("by", "who made the current version: by:rita", _name),
    QueryField("role", "its role in a material: role:normal", _role),
    QueryField("similar", "looks like texture 123 (~bits apart, default 10): similar:123, similar:123~6",
               _similar, many=False),
    QueryField("colour", "a dominant colour (~ΔE, default 15): colour:#8a5a2b, colour:#8a5a2b~25", _colour,
               many=False),
    QueryField("review", "the current version's review status: review:needs,changes", _review),
    QueryField("qa", "QA findings on the current version: qa:errors, qa:warnings, qa:none", _qa),
)}
