"""The core tables: the seed schema (user, collection, collection_permission,
texture_image, image_version) plus api tokens and audit events.

Portable on purpose (SQLite for local vaults, PostgreSQL for servers): no dialect-only types.
A texture points at its current version (current_version_id) instead of per-row flags.
Audit rows keep plain ids (no foreign keys) so history outlives what it talks about.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server_api.store.sql.models.base import Base, UtcDateTime


class UserRow(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)  # argon2id
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Unused since revision 0002 (the lockout lives in login_throttle); kept so old databases upgrade.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LoginThrottleRow(Base):
    """Failed sign-ins per normalised username, real or not: shared by every worker and instance."""

    __tablename__ = "login_throttle"

    name_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class UploadLeaseRow(Base):
    """One of an account's upload slots while an upload holds it (store/sql/upload_leases.py): every
    instance over this database counts the same slots; a crashed holder's slot frees at expires_at."""

    __tablename__ = "upload_lease"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))  # random per lease: only its taker releases it
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApiTokenRow(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the token
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class CollectionRow(Base):
    __tablename__ = "collection"
    __table_args__ = (UniqueConstraint("owner_id", "name", name="uq_collection_owner_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    qa_rules: Mapped[str] = mapped_column(Text, default="", server_default="")  # JSON (store/qa_rules.py)
    # retention (0013, store/retention_api.py): keep each texture's last N versions; NULL keeps all
    keep_last: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PermissionRow(Base):
    __tablename__ = "collection_permission"
    __table_args__ = (
        UniqueConstraint("collection_id", "user_id", name="uq_permission_collection_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collection.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(16))  # read | write | admin
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TextureRow(Base):
    __tablename__ = "texture_image"
    __table_args__ = (
        UniqueConstraint("collection_id", "original_path", name="uq_texture_collection_path"),
        Index("ix_texture_collection_name", "collection_id", "name_key", "id"),
        Index("ix_texture_collection_updated", "collection_id", "updated_at", "id"),
        Index("ix_texture_collection_deleted", "collection_id", "deleted_at"),
        Index("ix_texture_name", "name_key", "id"),  # search across collections, in name order
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500))  # lower-cased name: sort and filter key
    original_path: Mapped[str] = mapped_column(String(4096))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("image_version.id", use_alter=True, ondelete="SET NULL"), nullable=True
    )
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("image_version.id", use_alter=True, ondelete="SET NULL"), nullable=True
    )
    # Set by delete: the texture is in the trash (hidden, restorable) until emptied or expired.
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class VersionRow(Base):
    __tablename__ = "image_version"
    __table_args__ = (
        UniqueConstraint("texture_id", "number", name="uq_version_texture_number"),
        # Only the trashed rows (0013): a full index on trashed_at would tempt SQLite to answer
        # "trashed_at IS NULL" (histories, counts, retention) from it, scanning every version.
        Index("ix_image_version_trashed", "trashed_at", sqlite_where=text("trashed_at IS NOT NULL"),
              postgresql_where=text("trashed_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    texture_id: Mapped[int] = mapped_column(
        ForeignKey("texture_image.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    blob_sha256: Mapped[str] = mapped_column(String(64), index=True)
    byte_size: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    bit_depth: Mapped[int] = mapped_column(Integer)
    has_alpha: Mapped[bool] = mapped_column(Boolean)
    has_icc: Mapped[bool] = mapped_column(Boolean)
    orientation: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # srgb | linear | unknown (imaging/colour.py), decided at import, overridable; old rows 'unknown'.
    colour_space: Mapped[str] = mapped_column(String(16), default="unknown", server_default="unknown")
    # QA findings (0010, store/qa_rules.py): JSON list, '' when unchecked; the counts feed badges and qa:.
    qa_findings: Mapped[str] = mapped_column(Text, default="", server_default="")
    qa_warnings: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    qa_errors: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Client-chosen idempotency key: a retried upload with the same key returns this version.
    upload_key: Mapped[str | None] = mapped_column(String(128), unique=True, nullable=True)
    # In the version trash since (0013, retention): hidden from histories and counts until restored
    # or purged after TRASH_KEEP_DAYS; the row keeps its blob from gc until then.
    trashed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class AuditEventRow(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_collection_id", "collection_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    texture_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    material_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # material events (0012)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


# Notifications (team.py) look up "textures I made a version of" and "events on these textures".
Index("ix_image_version_created_by", VersionRow.created_by_id, VersionRow.texture_id)
Index("ix_audit_texture", AuditEventRow.texture_id, AuditEventRow.id)
