"""Tags, search and smart collections: a part of the VaultStore interface (both faces implement it).

Tags are one vault-wide vocabulary. A tag may have a parent (``tag:wood`` finds textures tagged
``oak`` under it) and aliases (``timber`` means ``wood`` wherever a tag name is typed). Tagging a
texture needs write level on its collection; anyone who can read a texture sees its tags. Changing
the vocabulary itself (rename, merge, parent, alias) is for server admins (the local vault's user is
one). Tag changes on textures are events in their collections' activity.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from server_api.store.entities import Page, Texture, TextureQuery


@dataclass(frozen=True)
class Tag:
    id: int
    name: str
    parent: str | None  # the parent tag's name
    aliases: tuple[str, ...]
    texture_count: int  # textures the caller can read that carry this tag itself


@dataclass(frozen=True)
class Found:
    """A search hit across collections."""

    texture: Texture
    collection: str  # the collection's name


@dataclass(frozen=True)
class SmartCollection:
    """A saved query with a name, one user's own; ``count`` is live (what it finds right now)."""

    id: int
    name: str
    query: str
    count: int


class TagsApi(ABC):
    @abstractmethod
    def list_tags(self) -> list[Tag]:
        """The vocabulary by name, with counts of what the caller can read."""

    @abstractmethod
    def tag_textures(
        self, texture_ids: Sequence[int], *, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> None:
        """Add and remove tags on many textures at once, all or nothing (write level on each).
        New names join the vocabulary; an alias adds its tag; removing a tag not there is fine."""

    @abstractmethod
    def texture_tags(self, texture_id: int) -> list[str]:
        """The texture's tags by name (read level)."""

    @abstractmethod
    def tag_materials(
        self, material_ids: Sequence[int], *, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> None:
        """tag_textures for materials: the same vocabulary, write level on each, all or nothing."""

    @abstractmethod
    def material_tags(self, material_id: int) -> list[str]:
        """The material's tags by name (read level)."""

    @abstractmethod
    def rename_tag(self, name: str, new_name: str) -> Tag:
        """A new name for the tag everywhere; a name already taken: "conflict" (merge instead)."""

    @abstractmethod
    def merge_tags(self, name: str, into: str) -> Tag:
        """Every item tagged ``name`` gets ``into``; ``name`` becomes an alias of ``into``."""

    @abstractmethod
    def set_tag_parent(self, name: str, parent: str | None) -> Tag:
        """Put the tag under ``parent`` (None: top level); a loop is "invalid_argument"."""

    @abstractmethod
    def add_tag_alias(self, alias: str, name: str) -> Tag:
        """``alias`` means ``name`` from now on; an alias that is a tag's name: "conflict"."""

    @abstractmethod
    def search_textures(
        self, query: TextureQuery = TextureQuery(), *, limit: int = 200, cursor: str | None = None
    ) -> Page[Found]:
        """Textures matching ``query`` in every collection the caller can read (never more),
        keyset-paged like list_textures."""

    @abstractmethod
    def list_smart_collections(self) -> list[SmartCollection]:
        """The caller's saved queries by name, each with its live count."""

    @abstractmethod
    def save_smart_collection(self, name: str, query: str) -> SmartCollection:
        """Save ``query`` under ``name`` (replacing the caller's query of that name); a malformed
        query is "invalid_argument" naming the token. Search it with search_textures."""

    @abstractmethod
    def delete_smart_collection(self, smart_id: int) -> None:
        """Forget one of the caller's saved queries; anyone else's is "not_found"."""
