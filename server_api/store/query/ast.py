"""The query's syntax tree: what every face compiles from (never the raw text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Word:
    """A free word (or quoted phrase): part of the name, any case."""

    text: str


@dataclass(frozen=True)
class Field:
    """``name:value``; ``op`` is one of = < <= > >=; ``values`` are already checked and typed
    (several values mean any of them: ``format:png,tga``)."""

    name: str
    op: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = Word | Field | Not | And | Or
