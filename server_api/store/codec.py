"""Entities <-> JSON: the one place both directions live (the server encodes, RestVaultStore decodes).

Plain stdlib on purpose: the desktop app talks to a server without pydantic or FastAPI installed.
Datetimes travel as ISO 8601 with their UTC offset; a Texture carries its current Version nested.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from server_api.core.errors import VaultError
from server_api.store.entities import Page, TextureQuery

E = TypeVar("E")


_PLAIN = (str, int, float, bool, type(None))


def encode(value: Any) -> Any:
    """A JSON-ready value: dataclasses become dicts, datetimes ISO strings, tuples lists."""
    if type(value) in _PLAIN:
        return value
    names = _field_names(type(value))
    if names is not None:
        # Inline the common case (plain fields): listings encode thousands of entities per request.
        out = {}
        for name in names:
            field = getattr(value, name)
            out[name] = field if type(field) in _PLAIN else encode(field)
        return out
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    return value


def encode_page(page: Page) -> dict[str, Any]:
    return {"items": [encode(item) for item in page.items], "next": page.next}


def decode(cls: type[E], data: Any) -> E:
    """Rebuild an entity from what ``encode`` made. A malformed payload is a VaultError("internal")."""
    try:
        return _decode_as(cls, data)
    except (TypeError, ValueError, KeyError) as exc:
        raise VaultError("internal", f"server sent a malformed {cls.__name__}: {exc}") from None


def decode_page(cls: type[E], data: Any) -> Page[E]:
    try:
        items = tuple(decode(cls, item) for item in data["items"])
        return Page(items=items, next=data.get("next"))
    except (TypeError, KeyError) as exc:
        raise VaultError("internal", f"server sent a malformed page of {cls.__name__}: {exc}") from None


def decode_list(cls: type[E], data: Any) -> list[E]:
    return list(decode_page(cls, data).items)


# ---- TextureQuery <-> URL query parameters (GET /collections/{id}/textures) ------------------------
def query_to_params(query: TextureQuery) -> dict[str, Any]:
    """Only what differs from the default, so URLs stay short and readable."""
    params: dict[str, Any] = {}
    defaults = TextureQuery()
    for f in dataclasses.fields(TextureQuery):
        value = getattr(query, f.name)
        if value == getattr(defaults, f.name):
            continue
        name = _PARAM_NAMES.get(f.name, f.name)
        if isinstance(value, tuple):
            params[name] = list(value)
        elif isinstance(value, bool):
            params[name] = "true" if value else "false"
        else:
            params[name] = value
    return params


# TextureQuery field -> public query parameter: the query language travels as ?q=.
_PARAM_NAMES = {"text": "q"}


# ---- the generic decoder ------------------------------------------------------------------------
def _decode_as(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _decode_as(inner[0], data)
    if origin is tuple:
        (item_type, *_rest) = typing.get_args(tp)
        return tuple(_decode_as(item_type, item) for item in data)
    if origin is typing.Literal:
        return data
    if dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object, got {type(data).__name__}")
        hints = _hints(tp)
        return tp(**{
            f.name: _decode_as(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.name in data or f.default is dataclasses.MISSING
        })
    if tp is datetime:
        return datetime.fromisoformat(data)
    if tp in (int, str, bool):
        # bool is an int subclass: True must not pass for an id.
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise TypeError(f"expected {tp.__name__}, got {data!r}")
        return data
    return data


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (looked up once per class: listings encode thousands of entities)."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)
