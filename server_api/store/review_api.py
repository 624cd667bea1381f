"""Review: comments on versions, review status, notifications. A part of the VaultStore interface
(both faces implement it).

Read level may comment (on the whole image or a region of it) and list comments; only a comment's
author edits it; its author or a collection admin deletes it. A version's review status is set at
admin level; a collection that requires review (an admin turns it on) starts every version made
from then on as needs_review. Every write here is an audit event (review_entities.REVIEW_EVENTS),
so the change feed carries it.

Notifications are the change feed read for one user: comments, review statuses and new versions
by someone else on a texture the user made a version of, in collections the user can read now. The
read marker lives in the database, so it survives restarts and being offline.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from server_api.store.review_entities import Comment, Notifications, Region, ReviewState


class ReviewApi(ABC):
    @abstractmethod
    def add_comment(self, version_id: int, text: str, region: Region | None = None,
                    key: str | None = None) -> Comment:
        """A comment by the caller (read level). Blank or too long text, a region outside the
        image or of no size: "invalid_argument" naming what was wrong. ``key`` (1-128 characters,
        the REST face's Idempotency-Key header) makes a retry safe: the same caller sending the same
        key again gets the comment the first request made, never a second; the key sent with other
        text, region or version is a "conflict" naming the key. Another user's equal key is theirs."""

    @abstractmethod
    def edit_comment(self, comment_id: int, text: str) -> Comment:
        """New text for the caller's own comment; anyone else's: "permission_denied"."""

    @abstractmethod
    def delete_comment(self, comment_id: int) -> None:
        """Delete the caller's own comment, or any comment with admin level on the collection."""

    @abstractmethod
    def list_comments(self, version_id: int) -> list[Comment]:
        """The version's comments, oldest first (read level)."""

    @abstractmethod
    def texture_comments(self, texture_id: int) -> list[Comment]:
        """Every version's comments of the texture, oldest first (read level): its review timeline."""

    @abstractmethod
    def review_state(self, version_id: int) -> ReviewState:
        """The version's review status and who set it (read level)."""

    @abstractmethod
    def set_review_status(self, version_id: int, status: str) -> ReviewState:
        """needs_review | approved | changes_requested (admin level); anything else "invalid_argument"."""

    @abstractmethod
    def review_statuses(self, collection_id: int) -> dict[int, str]:
        """texture id -> its current version's status, for the collection's textures that have one."""

    @abstractmethod
    def review_required(self, collection_id: int) -> bool:
        """Whether new versions in the collection start as needs_review (read level)."""

    @abstractmethod
    def set_review_required(self, collection_id: int, required: bool) -> bool:
        """Turn review on or off for the collection (admin level); versions made while it is on
        start as needs_review. Returns the new setting."""

    @abstractmethod
    def notifications(self, limit: int = 50) -> Notifications:
        """The caller's newest notifications (1..1000) and how many are unread (counted up to
        review_entities.MAX_UNREAD)."""

    @abstractmethod
    def mark_notifications_read(self, up_to_cursor: int) -> Notifications:
        """Everything up to ``up_to_cursor`` is read (the marker never goes back, and never past
        the newest event); returns the caller's notifications after it."""
