"""Similar images and near-duplicates: a part of the VaultStore interface (both faces implement it).

Every version's bytes carry a 64-bit perceptual hash (imaging/fingerprint.py); two textures are
similar when their current versions' hashes differ in few bits (Hamming distance, 0..64). Only
textures the caller can read are ever answered or compared against; a near-blank image has no hash
and matches nothing. The query language has the same search as ``similar:ID`` and ``colour:#rrggbb``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from server_api.core.errors import VaultError
from server_api.store.entities import Texture

SIMILAR_DISTANCE = 10  # bits: what "similar" means when no distance is given (similar:ID)
MAX_DISTANCE = 15  # bits: the furthest a search looks (beyond it two pictures are unrelated)
DUPLICATE_DISTANCE = 4  # bits: near-duplicates (resized, re-encoded, slightly edited copies)
MAX_SIMILAR = 500  # answers in one similar() call
COLOUR_DISTANCE = 15.0  # ΔE76: colour:#rrggbb finds palette colours this close when no ~ is given
MAX_COLOUR_DISTANCE = 50
COLOUR_SHARE = 0.1  # a colour search looks at palette colours covering at least this share
REINDEX_BATCH = 200  # bytes fingerprinted per reindex call (a request of a few seconds at most)
MAX_REINDEX_BATCH = 2000


def check_reindex(after, limit) -> str:
    """``after`` (a sha256 from the last batch, or None) and ``limit`` (1..MAX_REINDEX_BATCH)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_REINDEX_BATCH:
        raise VaultError("invalid_argument",
                         f"limit must be between 1 and {MAX_REINDEX_BATCH}, not {limit!r}")
    if after is None:
        return ""
    if not isinstance(after, str) or len(after) != 64 or any(c not in "0123456789abcdef" for c in after):
        raise VaultError("invalid_argument", f"after must be a sha256 from the last batch's 'next', "
                         f"not {str(after)[:70]!r}")
    return after


def check_limit(limit) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_SIMILAR:
        raise VaultError("invalid_argument", f"limit must be between 1 and {MAX_SIMILAR}, not {limit!r}")
    return limit


def check_distance(distance) -> int:
    if isinstance(distance, bool) or not isinstance(distance, int) or not 0 <= distance <= MAX_DISTANCE:
        raise VaultError("invalid_argument", f"distance must be between 0 and {MAX_DISTANCE} bits, "
                         f"not {distance!r}")
    return distance


def check_colour(colour, distance) -> tuple[float, float, float]:
    """A colour like '#8a5a2b' as Lab, and a distance (ΔE76) in 1..MAX_COLOUR_DISTANCE."""
    from server_api.imaging.fingerprint import hex_to_lab

    if isinstance(distance, bool) or not isinstance(distance, int | float) or not (
            1 <= distance <= MAX_COLOUR_DISTANCE):
        raise VaultError("invalid_argument", f"distance must be between 1 and {MAX_COLOUR_DISTANCE} (ΔE), "
                         f"not {distance!r}")
    try:
        if not isinstance(colour, str):
            raise ValueError("a colour like #8a5a2b")
        return hex_to_lab(colour)
    except ValueError as exc:
        raise VaultError("invalid_argument", f"bad colour {str(colour)[:20]!r}: wants {exc}") from None


@dataclass(frozen=True)
class Similar:
    texture: Texture
    collection: str  # the collection's name
    distance: int  # differing bits of the two perceptual hashes, 0 (same picture) .. MAX_DISTANCE
    colour_distance: float  # how far apart the two palettes are (ΔE76; 100 when one has none)


@dataclass(frozen=True)
class DuplicateGroup:
    """Textures of one collection that look the same (each within ``distance`` bits of another)."""

    textures: tuple[Texture, ...]  # by name
    distance: int  # the largest distance that joined two of them (0: identical pictures)


@dataclass(frozen=True)
class ReindexBatch:
    """One batch of reindex_fingerprints."""

    done: int  # bytes fingerprinted (or fingerprinted again) in this batch
    skipped: int  # bytes without a readable thumbnail (`vault fsck --repair` makes it; reindex again)
    next: str | None  # pass as ``after`` for the next batch; None: nothing more to do
    todo: int | None  # how many bytes needed it when the run began (the first batch only, else None)


@dataclass(frozen=True)
class ColourMatch:
    texture: Texture
    collection: str
    delta_e: float  # how far its closest dominant colour is from the one asked for (ΔE76)
    share: float  # how much of the picture that colour covers, 0..1


class SimilarApi(ABC):
    @abstractmethod
    def similar(self, texture_id: int, *, limit: int = 20) -> list[Similar]:
        """Textures that look like ``texture_id``'s current version, best first (hash bits plus
        half the palette distance, then by name), at most ``limit`` (1..500), within MAX_DISTANCE
        bits, across every collection the caller can read; never the texture itself. "not_found"
        for a texture the caller cannot see; an empty list when it has no hash (near-blank, or
        imported before hashing: ``vault reindex``)."""

    @abstractmethod
    def colour_search(self, colour: str, *, limit: int = 50,
                      distance: float = COLOUR_DISTANCE) -> list[ColourMatch]:
        """Textures with much of ``colour`` ('#8a5a2b'), best first: the ΔE of their closest dominant
        colour plus up to 30 for a small share (fingerprint.colour_score), within ``distance`` ΔE
        and covering at least COLOUR_SHARE; across every collection the caller can read."""

    @abstractmethod
    def duplicates(self, collection_id: int, *, distance: int = DUPLICATE_DISTANCE) -> list[DuplicateGroup]:
        """Groups of near-duplicate textures in one collection (read level), biggest group first."""

    @abstractmethod
    def reindex_fingerprints(self, *, after: str | None = None, limit: int = REINDEX_BATCH) -> ReindexBatch:
        """Fingerprint, where the vault keeps the bytes, up to ``limit`` versions' bytes that have no
        fingerprint (imported before hashing) or one an older recipe made (fingerprint.RECIPE), in
        sha256 order after ``after``; call again with ``after=batch.next`` until it is None. Server
        admins only (permission_denied; the local vault's user is one)."""
