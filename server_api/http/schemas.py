"""Request bodies (validated by FastAPI) and response shapes (documented in OpenAPI).

Responses are encoded by server_api.store.codec, the same module RestVaultStore decodes with; the
entity dataclasses double as the documented response schemas, so the docs cannot drift from them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from server_api.errors import HTTP_STATUS
from server_api.store.entities import User

T = TypeVar("T")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(Strict):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class LoginAnswer(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a scheme name, not a secret)
    expires_at: datetime
    user: User


class NewUserBody(Strict):
    username: str = Field(max_length=200)
    password: str | None = Field(default=None, max_length=1000)
    is_admin: bool = False
    display_name: str = Field(default="", max_length=200)


class ActiveBody(Strict):
    active: bool


class PasswordBody(Strict):
    password: str = Field(max_length=1000)


class NewCollectionBody(Strict):
    name: str = Field(max_length=1000)
    description: str = Field(default="", max_length=100_000)


class CollectionChangeBody(Strict):
    name: str | None = Field(default=None, max_length=1000)
    description: str | None = Field(default=None, max_length=100_000)


class GrantBody(Strict):
    level: str = Field(max_length=32, description="read | write | admin")


class CurrentBody(Strict):
    version_id: int


class PublicationBody(Strict):
    version_id: int
    path: str = Field(max_length=4096, description="where the bytes were written, on the client's disk")


class Items(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = None


class Count(BaseModel):
    count: int


class ErrorBody(BaseModel):
    code: str
    message: str


def upload_form(fields: dict[str, str]) -> dict[str, Any]:
    """OpenAPI for a multipart route we parse ourselves (streamed; FastAPI never buffers it)."""
    properties: dict[str, Any] = {"file": {"type": "string", "format": "binary"}}
    properties.update({name: {"type": "string", "description": text} for name, text in fields.items()})
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": properties,
    }}}}}


# Every error a route can answer, documented once for all routes.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": code.replace("_", " ")}
    for code, status in HTTP_STATUS.items()
    if code not in ("unavailable",)
}
