"""QA rules a collection's admins set, and the findings a version gets from them (issue 13).

A rule is a key, a level (warning | error) and, for some, a value:

    power_of_two           both sides a power of two (engines mip-map them)
    square                 width == height
    max_side=4096          no side longer than this
    min_side=256           no side shorter than this
    bit_depth.ROLE=16,32   a ROLE map (imaging/map_names.py roles) has one of these bit depths
    unused_alpha           an alpha channel that is not all 255 (an opaque one only costs memory)
    normal_map             a normal map's pixels are a tangent-space normal map (imaging/normals.py)
    colour_space           the stored colour space matches the role (TEXTURE_CONVENTIONS.md table)
    colour_space.ROLE=srgb a ROLE map's stored colour space is this one
    seam=2.0               seam score (imaging/seams.py) below this on both axes

Written ``KEY``, ``KEY=LEVEL`` or ``KEY=VALUE:LEVEL`` (level defaults to warning; ``KEY=off`` removes one).
Pure: the store supplies each version's metadata, its role and, only when a pixel rule asks, its
pixels (``PixelFacts``, imaging/pixel_facts.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from server_api.core.errors import VaultError
from server_api.imaging.colour import LINEAR, ROLE_SPACES, SRGB
from server_api.store.entities import QaFinding
from server_api.store.material_entities import MATERIAL_ROLES

if TYPE_CHECKING:  # Pillow and numpy load when pixels are checked, not with the store
    from server_api.imaging.pixel_facts import PixelFacts

WARNING, ERROR = "warning", "error"
QA_LEVELS = (WARNING, ERROR)
# key (before any ".ROLE") -> what its value is: None (no value), "side", "depths", "space", "limit".
RULE_VALUES: dict[str, str | None] = {
    "power_of_two": None, "square": None, "max_side": "side", "min_side": "side", "bit_depth": "depths",
    "unused_alpha": None, "normal_map": None, "colour_space": "space", "seam": "limit",
}
FLOAT_FORMATS = ("EXR", "HDR")  # tone-mapped to look at: no alpha, vectors or seams read from them
PIXEL_RULES = frozenset(("unused_alpha", "normal_map", "seam"))  # the ones that need pixels
_PER_ROLE = frozenset(("bit_depth", "colour_space"))
_DEPTHS = (1, 2, 4, 8, 16, 32)
_MAX_SIDE = 1 << 20
MAX_RULES = 64  # more than every key and role together; bounds a request's work


@dataclass(frozen=True)
class QaRule:
    key: str  # power_of_two, max_side, bit_depth.height, colour_space.normal ...
    level: str  # warning | error
    value: str = ""  # "4096", "16,32", "linear", "2.0"; "" for rules without one

    def text(self) -> str:
        return f"{self.key}={self.value + ':' if self.value else ''}{self.level}"


@dataclass(frozen=True)
class QaRules:
    collection_id: int
    rules: tuple[QaRule, ...]  # sorted by key; empty: nothing is checked


@dataclass(frozen=True)
class QaReport:
    """A current version with findings, for ``vault qa`` and GET /collections/{id}/qa."""

    texture_id: int
    texture_name: str
    version_id: int
    version: int
    findings: tuple[QaFinding, ...]


@dataclass(frozen=True)
class Subject:
    """What the rules look at in one version."""

    width: int
    height: int
    bit_depth: int
    has_alpha: bool
    colour_space: str
    role: str | None  # from the texture's name (imaging/map_names.py), None when it names no map


def checked_rule(key: object, level: object, value: object = "") -> QaRule:
    """A valid rule, or VaultError("invalid_argument") naming what was wrong."""
    if not isinstance(key, str) or not isinstance(level, str) or not isinstance(value, str):
        raise VaultError("invalid_argument", "a QA rule's key, level and value must be strings")
    base, role = checked_key(key)
    if level not in QA_LEVELS:
        raise VaultError("invalid_argument", f"QA rule {key!r}: level {level[:20]!r} must be warning or "
                         "error")
    kind = RULE_VALUES[base] if (base != "colour_space" or role) else None
    return QaRule(key, level, _checked_value(key, kind, value.strip()))


def checked_key(key: str) -> tuple[str, str]:
    """(rule, role) of a known rule key; VaultError naming it otherwise."""
    base, _, role = key.partition(".")
    if base not in RULE_VALUES:
        raise VaultError("invalid_argument", f"unknown QA rule {key[:40]!r}; rules: {', '.join(RULE_VALUES)}")
    if role and base not in _PER_ROLE:
        raise VaultError("invalid_argument", f"QA rule {base!r} takes no map role (got {key[:40]!r})")
    if base == "bit_depth" and not role:
        raise VaultError("invalid_argument", "bit_depth needs a map role: bit_depth.ROLE=16,32")
    if role and role not in MATERIAL_ROLES:
        raise VaultError("invalid_argument", f"unknown map role {role[:40]!r} in QA rule {key[:40]!r}; "
                         f"roles: {', '.join(MATERIAL_ROLES)}")
    return base, role


def _checked_value(key: str, kind: str | None, value: str) -> str:
    bad = f"QA rule {key!r}: value {value[:40]!r} "
    if kind is None:
        if value:
            raise VaultError("invalid_argument", bad + "is not wanted (write KEY=LEVEL)")
        return ""
    if not value:
        raise VaultError("invalid_argument", f"QA rule {key!r} needs a value (KEY=VALUE:LEVEL)")
    if kind == "side":
        if not value.isdigit() or not 1 <= int(value) <= _MAX_SIDE:
            raise VaultError("invalid_argument", bad + f"must be a whole number of pixels, 1..{_MAX_SIDE}")
        return str(int(value))
    if kind == "depths":
        parts = [p.strip() for p in value.split(",")]
        if not all(p.isdigit() and int(p) in _DEPTHS for p in parts):
            raise VaultError("invalid_argument", bad + f"must list bit depths from {_DEPTHS}, e.g. 16,32")
        return ",".join(str(d) for d in sorted({int(p) for p in parts}))
    if kind == "space":
        if value not in (SRGB, LINEAR):
            raise VaultError("invalid_argument", bad + "must be srgb or linear")
        return value
    try:  # limit
        limit = float(value)
    except ValueError:
        limit = float("nan")
    if not 1.0 <= limit <= 1000.0:
        raise VaultError("invalid_argument", bad + "must be a number from 1 to 1000 (2 = a visible seam)")
    return f"{limit:g}"


def parse_setting(text: str) -> tuple[str, QaRule | None]:
    """``KEY``, ``KEY=LEVEL``, ``KEY=VALUE:LEVEL``, ``KEY=VALUE`` (a warning) or ``KEY=off`` (None:
    remove the rule)."""
    key, sep, rest = text.partition("=")
    key, rest = key.strip(), (rest if sep else WARNING)  # a bare KEY: a warning
    if not key:
        raise VaultError("invalid_argument", f"QA setting {text[:60]!r} must look like KEY=LEVEL or "
                         "KEY=VALUE:LEVEL (KEY=off removes the rule)")
    rest = rest.strip()
    if rest == "off":
        checked_key(key)
        return key, None
    value, colon, level = rest.rpartition(":")
    if not colon:
        value, level = (rest, WARNING) if rest not in QA_LEVELS else ("", rest)
    return key, checked_rule(key, level, value)


def rules_to_json(rules: Iterable[QaRule]) -> str:
    return json.dumps([[r.key, r.level, r.value] for r in sorted(rules, key=lambda r: r.key)])


def rules_from_json(text: str) -> tuple[QaRule, ...]:
    """The stored rules ('' = none); a damaged column reads as no rules rather than failing listings."""
    if not text:
        return ()
    try:
        return tuple(QaRule(k, lv, v) for k, lv, v in json.loads(text))
    except (ValueError, TypeError):
        return ()


def findings_to_json(findings: Iterable[QaFinding]) -> str:
    return json.dumps([[f.rule, f.level, f.message] for f in findings])


def findings_from_json(text: str) -> tuple[QaFinding, ...]:
    if not text:
        return ()
    try:
        return tuple(QaFinding(r, lv, m) for r, lv, m in json.loads(text))
    except (ValueError, TypeError):
        return ()


def counted(errors: int, warnings: int) -> str:
    """"1 error and 2 warnings", "3 warnings": how the GUI counts findings."""
    pairs = ((errors, "error"), (warnings, "warning"))
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in pairs if n]
    return " and ".join(parts)


def needs_pixels(rules: Iterable[QaRule]) -> bool:
    return any(r.key in PIXEL_RULES for r in rules)


def check(rules: Iterable[QaRule], subject: Subject, pixels: Callable[[], PixelFacts | None]
          ) -> tuple[QaFinding, ...]:
    """The findings of one version; ``pixels`` is called at most once, only if a pixel rule applies."""
    found: list[QaFinding] = []
    facts: list[PixelFacts | None] = []

    def pixel_facts() -> PixelFacts | None:
        if not facts:
            facts.append(pixels())
        return facts[0]

    for rule in rules:
        message = _broken(rule, subject, pixel_facts)
        if message:
            found.append(QaFinding(rule.key, rule.level, message))
    return tuple(sorted(found, key=lambda f: (f.level != ERROR, f.rule)))


def _broken(rule: QaRule, s: Subject, pixels: Callable[[], PixelFacts | None]) -> str | None:
    """What is wrong, in the words of the upload pane; None when the rule holds (or cannot apply)."""
    size = f"{s.width}x{s.height}"
    base, _, role = rule.key.partition(".")
    role_name = (s.role or "").replace("_", " ")
    if base == "power_of_two":
        return None if _pow2(s.width) and _pow2(s.height) else f"not power of two ({size})"
    if base == "square":
        return None if s.width == s.height else f"not square ({size})"
    if base == "max_side":
        return f"larger than {rule.value} px ({size})" if max(s.width, s.height) > int(rule.value) else None
    if base == "min_side":
        return f"smaller than {rule.value} px ({size})" if min(s.width, s.height) < int(rule.value) else None
    if base == "bit_depth":
        allowed = rule.value.split(",")
        if s.role != role or str(s.bit_depth) in allowed:
            return None
        return f"{s.bit_depth}-bit {role_name} map (wanted {' or '.join(allowed)}-bit)"
    if base == "colour_space":
        wanted = rule.value if role else ROLE_SPACES.get(s.role or "")
        if (role and s.role != role) or not wanted or s.colour_space not in (SRGB, LINEAR):
            return None
        if s.colour_space == wanted:
            return None
        said = "sRGB profile" if s.colour_space == SRGB else "linear data"
        return f"{said} on a{'n' if role_name[:1] in 'aeiou' else ''} {role_name} map"
    if base == "unused_alpha":
        if not s.has_alpha:
            return None
        facts = pixels()
        return "unused alpha (every pixel opaque)" if facts is not None and not facts.alpha_used else None
    if base == "normal_map":
        if s.role != "normal":
            return None
        facts = pixels()
        if facts is None or facts.normal is None or facts.normal.is_normal_map:
            return None
        return f"not a valid normal map ({facts.normal.reason})"
    if base == "seam":
        facts = pixels()
        if facts is None or facts.seam is None or facts.seam.worst() < float(rule.value):
            return None
        return f"visible seam (x {facts.seam.x:.2f}, y {facts.seam.y:.2f}; limit {rule.value})"
    return None


def _pow2(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0
