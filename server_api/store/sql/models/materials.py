"""Materials (PBR texture sets as one thing, issue 12), tags and smart collections (issue 14)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server_api.store.sql.models.base import Base, UtcDateTime


class MaterialRow(Base):
    __tablename__ = "material"
    __table_args__ = (Index("ix_material_collection_name", "collection_id", "name_key", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500))  # lower-cased name: sort key
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("material_version.id", use_alter=True, ondelete="SET NULL"), nullable=True
    )


class MaterialMapRow(Base):
    """A texture in a material (at most one: the texture id is the key) with its role."""

    __tablename__ = "material_map"

    texture_id: Mapped[int] = mapped_column(
        ForeignKey("texture_image.id", ondelete="CASCADE"), primary_key=True
    )
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    normal_convention: Mapped[str | None] = mapped_column(String(16), nullable=True)


class MaterialVersionRow(Base):
    __tablename__ = "material_version"
    __table_args__ = (UniqueConstraint("material_id", "number", name="uq_material_version_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MaterialVersionMapRow(Base):
    """Which version of each map a material version holds (and the map's role then)."""

    __tablename__ = "material_version_map"

    material_version_id: Mapped[int] = mapped_column(
        ForeignKey("material_version.id", ondelete="CASCADE"), primary_key=True
    )
    texture_id: Mapped[int] = mapped_column(
        ForeignKey("texture_image.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("image_version.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    normal_convention: Mapped[str | None] = mapped_column(String(16), nullable=True)


class MaterialGroupKeyRow(Base):
    """Grouping keys (folder + stem, hashed) that lead later imports to an existing material,
    whatever the user renamed it to."""

    __tablename__ = "material_group_key"

    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collection.id", ondelete="CASCADE"), primary_key=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), index=True)


class MaterialHoldRow(Base):
    """A texture the user took out of a material: grouping on import leaves it alone for good."""

    __tablename__ = "material_hold"

    texture_id: Mapped[int] = mapped_column(
        ForeignKey("texture_image.id", ondelete="CASCADE"), primary_key=True
    )
    held_at: Mapped[datetime] = mapped_column(UtcDateTime)


# ---- tags and smart collections (issue 14) --------------------------------------------------------
class TagRow(Base):
    """A vault-wide tag; searching a tag finds its children too (tag:wood finds oak under wood)."""

    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)  # lower-cased: the lookup key
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tag.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TagAliasRow(Base):
    """Another name for a tag (timber -> wood): typed anywhere, it means the tag."""

    __tablename__ = "tag_alias"

    name_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), index=True)


class TextureTagRow(Base):
    __tablename__ = "texture_tag"
    __table_args__ = (Index("ix_texture_tag_tag_texture", "tag_id", "texture_id"),)

    texture_id: Mapped[int] = mapped_column(
        ForeignKey("texture_image.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)


class MaterialTagRow(Base):
    __tablename__ = "material_tag"
    __table_args__ = (Index("ix_material_tag_tag_material", "tag_id", "material_id"),)

    material_id: Mapped[int] = mapped_column(
        ForeignKey("material.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)


class SmartCollectionRow(Base):
    """A saved query with a name, one user's own."""

    __tablename__ = "smart_collection"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_smart_collection_user_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
