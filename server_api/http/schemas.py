"""Request bodies (validated by FastAPI) and response shapes (documented in OpenAPI).

Responses are encoded by server_api.store.codec, the same module RestVaultStore decodes with; the
entity dataclasses double as the documented response schemas, so the docs cannot drift from them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from server_api.core.errors import HTTP_STATUS
from server_api.store.entities import User
from server_api.store.limits import (
    MAX_COLLECTION_NAME,
    MAX_DESCRIPTION,
    MAX_NOTE,
    MAX_PASSWORD_LENGTH,
    MAX_PATH,
    MIN_PASSWORD_LENGTH,
    USERNAME,
)

T = TypeVar("T")

# The store's own rules, restated for OpenAPI so clients (and schemathesis) know them up front.
MAX_ID = 2**53 - 1  # the largest integer every JSON client (JavaScript too) holds exactly
USERNAME_PATTERN = f"^{USERNAME.pattern}$"
NAME_PATTERN = r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$"  # printable, not blank
PATH_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"  # no NUL, not blank
PASSWORD_PATTERN = PATH_PATTERN  # the same two of password_rules' rules; the rest only the store knows
# Any id in range parses; one that names nothing is 404, exactly as on the local vault.
CollectionId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]
TextureId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]
VersionId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]
Username = Annotated[str, Path(pattern=USERNAME_PATTERN)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(Strict):
    username: str = Field(max_length=200)
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)


class LoginAnswer(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a scheme name, not a secret)
    expires_at: datetime
    user: User


class NewUserBody(Strict):
    username: str = Field(pattern=USERNAME_PATTERN)
    password: str | None = Field(default=None, min_length=MIN_PASSWORD_LENGTH,
                                 max_length=MAX_PASSWORD_LENGTH, pattern=PASSWORD_PATTERN)
    is_admin: StrictBool = False  # JSON true/false only: 0, 1 and "yes" are refused
    display_name: str = Field(default="", max_length=200)


class ActiveBody(Strict):
    active: StrictBool


class PasswordBody(Strict):
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH,
                          pattern=PASSWORD_PATTERN)
    current_password: str | None = Field(
        default=None, max_length=MAX_PASSWORD_LENGTH,
        description="your present password: needed to change your own, not to reset another's")


class NewCollectionBody(Strict):
    name: str = Field(max_length=MAX_COLLECTION_NAME, pattern=NAME_PATTERN)
    description: str = Field(default="", max_length=MAX_DESCRIPTION)


class CollectionChangeBody(Strict):
    name: str | None = Field(default=None, max_length=MAX_COLLECTION_NAME, pattern=NAME_PATTERN)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)


class GrantBody(Strict):
    level: Literal["read", "write", "admin"]


class CurrentBody(Strict):
    version_id: int = Field(ge=-MAX_ID, le=MAX_ID)


class PublicationBody(Strict):
    version_id: int = Field(ge=-MAX_ID, le=MAX_ID)
    path: str = Field(max_length=MAX_PATH, pattern=PATH_PATTERN,
                      description="where the bytes were written, on the client's disk")


class ColourSpaceBody(Strict):
    colour_space: Literal["srgb", "linear", "unknown"] = Field(
        description="the colour space the version's pixels are in (imaging/colour.py COLOUR_SPACES)")


class Items(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = None


class Count(BaseModel):
    count: int


class Purged(BaseModel):
    purged: int  # textures deleted for good


class ErrorBody(BaseModel):
    code: str
    message: str


def upload_form(fields: dict[str, dict[str, Any]], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """OpenAPI for a multipart route we parse ourselves (streamed; FastAPI never buffers it)."""
    properties: dict[str, Any] = {"file": {"type": "string", "format": "binary"}}
    properties.update({name: {"type": "string", **rules} for name, rules in fields.items()})
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file", *required], "properties": properties,
    }}}}}


# Upload form fields, with the store's rules.
ORIGINAL_PATH_FIELD = {"description": "the file's path on the artist's disk (publish writes there)",
                       "maxLength": MAX_PATH, "pattern": PATH_PATTERN}
NOTE_FIELD = {"description": "a note for this version", "maxLength": MAX_NOTE}
SHA256_FIELD = {"description": "optional: the file's sha256; a mismatch means it was damaged in transit",
                "pattern": "^[0-9a-fA-F]{64}$"}


# Every error a route can answer, documented once for all routes.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": code.replace("_", " ")}
    for code, status in HTTP_STATUS.items()
    if code not in ("unavailable",)
}
