"""SQLAlchemy 2.0 typed models: the seed schema (user, collection, collection_permission,
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
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names so migrations are the same on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


UtcDateTime = DateTime(timezone=True)


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
    __table_args__ = (UniqueConstraint("texture_id", "number", name="uq_version_texture_number"),)

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


# ---- materials (issue 12): PBR texture sets as one thing ------------------------------------------
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


# ---- similar-image and colour search (issue 14): what the pixels of some bytes look like ------------
class BlobHashRow(Base):
    """The perceptual hash of some bytes (imaging/fingerprint.py), keyed by their sha256 like the
    blob itself. ``phash`` is NULL for a near-blank image (no hash: it would match every flat one).
    Multi-index hashing: the hash's four 16-bit bands, each indexed; two hashes within 4·r + 3 bits
    have some band within r bits (pigeonhole), so a search probes the bands, then checks the rest."""

    __tablename__ = "blob_hash"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    phash: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # signed 64-bit
    band0: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    band1: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    band2: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    band3: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class BlobColourRow(Base):
    """One of up to 5 dominant colours of some bytes, in CIE Lab, with its share of the pixels.
    ``cell`` is the colour's 10-unit Lab cube (fingerprint.lab_cell): a colour search probes the
    few cells its radius touches instead of measuring every colour in the vault."""

    __tablename__ = "blob_colour"
    __table_args__ = (Index("ix_blob_colour_cell", "cell", "sha256"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 = the biggest share
    lab_l: Mapped[float] = mapped_column(Float)
    lab_a: Mapped[float] = mapped_column(Float)
    lab_b: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)  # share of the pixels, 0..1
    cell: Mapped[int] = mapped_column(Integer)


# ---- review: comments, review status, notifications (issue 16) ------------------------------------
class CommentRow(Base):
    """A comment on a version, optionally on a region of its image (normalised 0..1 x, y, w, h)."""

    __tablename__ = "version_comment"
    __table_args__ = (Index("ix_version_comment_version", "version_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("image_version.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text)
    region_x: Mapped[float | None] = mapped_column(Float, nullable=True)
    region_y: Mapped[float | None] = mapped_column(Float, nullable=True)
    region_w: Mapped[float | None] = mapped_column(Float, nullable=True)
    region_h: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class VersionReviewRow(Base):
    """A version's review status as last set by an admin (no row: the collection's default)."""

    __tablename__ = "version_review"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("image_version.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(32))  # needs_review | approved | changes_requested
    set_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CollectionReviewRow(Base):
    """A collection that requires review: its versions made since ``since`` start as needs_review."""

    __tablename__ = "collection_review"

    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collection.id", ondelete="CASCADE"), primary_key=True
    )
    since: Mapped[datetime] = mapped_column(UtcDateTime)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))


class NotificationMarkRow(Base):
    """How far a user has read their notifications: an audit event id (the change feed's cursor)."""

    __tablename__ = "notification_mark"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    read_up_to: Mapped[int] = mapped_column(Integer)


# Notifications look up "textures I made a version of" and "events on these textures".
Index("ix_image_version_created_by", VersionRow.created_by_id, VersionRow.texture_id)
Index("ix_audit_texture", AuditEventRow.texture_id, AuditEventRow.id)


# ---- webhooks (issue 16): the change feed POSTed to URLs a server admin registered ------------------
class WebhookRow(Base):
    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    kinds: Mapped[str] = mapped_column(Text)  # comma-separated change kinds; "" means every kind
    secret: Mapped[str] = mapped_column(String(128))  # HMAC-SHA256 key of X-Vault-Signature
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    fed_up_to: Mapped[int] = mapped_column(Integer)  # the last audit event id queued for it


class WebhookDeliveryRow(Base):
    """One event for one webhook: the queue (pending, claimed with a lease) and the log."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", name="uq_webhook_delivery_event"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_log", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(48))
    payload: Mapped[str] = mapped_column(Text)  # the JSON body, fixed when queued (signed as sent)
    status: Mapped[str] = mapped_column(String(16))  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_holder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
