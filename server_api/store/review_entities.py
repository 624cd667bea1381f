"""Values of the review part of the store (review_api.py): comments, review status, notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# A version's review status; None (not under review) when no admin set one and its collection did
# not require review when the version was made.
REVIEW_STATUSES: tuple[str, ...] = ("needs_review", "approved", "changes_requested")
# The audit event kinds review writes (the change feed carries them like every other write).
REVIEW_EVENTS: tuple[str, ...] = ("comment_added", "comment_edited", "comment_deleted", "review_status")
# What someone else does to a texture you made a version of that becomes your notification.
NOTIFYING_EVENTS: tuple[str, ...] = ("comment_added", "review_status", "add_version")
MAX_UNREAD = 1000  # unread notifications are counted up to this (the bell says "1,000+ new")


@dataclass(frozen=True)
class Region:
    """A rectangle of the image in fractions of its width and height (0..1 from the top left)."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Comment:
    id: int
    version_id: int
    texture_id: int
    version_number: int
    author: str  # username
    text: str
    region: Region | None
    created_at: datetime
    edited_at: datetime | None


@dataclass(frozen=True)
class ReviewState:
    version_id: int
    status: str | None  # one of REVIEW_STATUSES, None: not under review
    set_by: str | None  # who set it; None for the collection's default (needs_review) or no status
    set_at: datetime | None


@dataclass(frozen=True)
class Notification:
    cursor: int  # the change feed's cursor (the audit event's id): mark_notifications_read takes it
    action: str  # one of NOTIFYING_EVENTS
    collection_id: int | None
    texture_id: int | None
    version_id: int | None
    actor: str
    detail: str  # the event's sentence: "commented on v2 of 'brick.png': fix the seam"
    created_at: datetime
    unread: bool


@dataclass(frozen=True)
class Notifications:
    items: tuple[Notification, ...]  # newest first
    unread: int  # notifications past the read marker (not only those in items), at most MAX_UNREAD
    read_up_to: int  # the read marker: 0 before anything was read
