"""Working as a team (issue 16): comments, review status, notification marks, webhooks and their
deliveries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server_api.store.sql.models.base import Base, UtcDateTime


class CommentRow(Base):
    """A comment on a version, optionally on a region of its image (normalised 0..1 x, y, w, h)."""

    __tablename__ = "version_comment"
    __table_args__ = (
        Index("ix_version_comment_version", "version_id", "id"),
        Index("ux_version_comment_idempotency_key", "idempotency_key", unique=True),
    )

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
    # the POST's Idempotency-Key scoped to its author (rows.scoped_upload_key); NULL when sent without
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


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
