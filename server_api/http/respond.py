"""Turn store results into JSON responses through the shared codec (one encoder for every route)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.responses import JSONResponse, Response

from server_api.store import codec
from server_api.store.entities import Page


def one(value: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(codec.encode(value), status_code=status)


def page(value: Page) -> JSONResponse:
    return JSONResponse(codec.encode_page(value))


def items(values: Iterable[Any]) -> JSONResponse:
    """A whole list in the one list shape, {"items", "next"}; next is null as nothing follows."""
    return JSONResponse({"items": [codec.encode(v) for v in values], "next": None})


def done() -> Response:
    return Response(status_code=204)


def documented(model: Any, status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": model}}
