"""Words shown to people: one home for counted nouns ("1 file", "2 files", never "1 files")."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``counted(1, "texture")`` → "1 texture"; ``counted(3, "copy", "copies")`` → "3 copies"."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
