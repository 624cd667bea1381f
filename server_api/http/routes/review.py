"""Review: comments on versions (optionally on an image region), review status, notifications."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import JSONResponse, Response
from pydantic import Field, StrictBool

from server_api.http.deps import Caller
from server_api.http.material_schemas import AnId
from server_api.http.respond import documented, done, items, one
from server_api.http.schemas import MAX_ID, CollectionId, Items, Strict, TextureId, VersionId
from server_api.store.limits import MAX_COMMENT, MAX_PAGE, MAX_UPLOAD_KEY
from server_api.store.review_entities import Comment, Notifications, Region, ReviewState

router = APIRouter(prefix="/api/v1", tags=["review"])
CommentId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]
Cursor = Annotated[int, Field(ge=0, le=MAX_ID), AnId.__metadata__[-1]]  # AnId's refusal of true/false
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
# printable text with something besides spaces; new lines and tabs allowed (review_rules.comment_text)
COMMENT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x08\x0b-\x1f\x7f]*$"
CommentText = Annotated[str, Field(min_length=1, max_length=MAX_COMMENT, pattern=COMMENT_PATTERN)]


class RegionBody(Strict):
    """A rectangle of the image in fractions of its width and height, from the top left."""

    x: Fraction
    y: Fraction
    w: Fraction
    h: Fraction


class NewCommentBody(Strict):
    text: CommentText
    region: RegionBody | None = None


class EditCommentBody(Strict):
    text: CommentText


class ReviewBody(Strict):
    status: Literal["needs_review", "approved", "changes_requested"]


class RequiredBody(Strict):
    required: StrictBool


class ReadBody(Strict):
    up_to_cursor: Cursor  # a notification's cursor: everything up to it is read


@router.get("/versions/{version_id}/comments", responses=documented(Items[Comment]))
def list_comments(version_id: VersionId, store: Caller) -> JSONResponse:
    """The version's comments, oldest first (read level)."""
    return items(store.list_comments(version_id))


@router.post("/versions/{version_id}/comments", status_code=201, responses=documented(Comment, 201))
def add_comment(version_id: VersionId, body: NewCommentBody, store: Caller,
                idempotency_key: Annotated[str | None, Header(max_length=MAX_UPLOAD_KEY)] = None,
                ) -> JSONResponse:
    """Comment on the version, or on a region of its image (read level). With an Idempotency-Key the
    same caller's repeat answers the comment the first request made (201, same id); the key sent
    with other text or region: 409."""
    region = Region(**body.region.model_dump()) if body.region else None
    return one(store.add_comment(version_id, body.text, region, key=idempotency_key), 201)


@router.get("/textures/{texture_id}/comments", responses=documented(Items[Comment]))
def texture_comments(texture_id: TextureId, store: Caller) -> JSONResponse:
    """Every version's comments of the texture, oldest first."""
    return items(store.texture_comments(texture_id))


@router.patch("/comments/{comment_id}", responses=documented(Comment))
def edit_comment(comment_id: CommentId, body: EditCommentBody, store: Caller) -> JSONResponse:
    """New text for the caller's own comment."""
    return one(store.edit_comment(comment_id, body.text))


@router.delete("/comments/{comment_id}", status_code=204)
def delete_comment(comment_id: CommentId, store: Caller) -> Response:
    """The caller's own comment, or any with admin level on the collection."""
    store.delete_comment(comment_id)
    return done()


@router.get("/versions/{version_id}/review", responses=documented(ReviewState))
def review_state(version_id: VersionId, store: Caller) -> JSONResponse:
    return one(store.review_state(version_id))


@router.put("/versions/{version_id}/review", responses=documented(ReviewState))
def set_review_status(version_id: VersionId, body: ReviewBody, store: Caller) -> JSONResponse:
    """Set the version's review status (admin level)."""
    return one(store.set_review_status(version_id, body.status))


@router.get("/collections/{collection_id}/review-statuses", responses=documented(dict[str, str]))
def review_statuses(collection_id: CollectionId, store: Caller) -> JSONResponse:
    """texture id -> its current version's review status, for textures that have one."""
    return JSONResponse({str(k): v for k, v in store.review_statuses(collection_id).items()})


@router.get("/collections/{collection_id}/review-required", responses=documented(RequiredBody))
def review_required(collection_id: CollectionId, store: Caller) -> JSONResponse:
    return JSONResponse({"required": store.review_required(collection_id)})


@router.put("/collections/{collection_id}/review-required", responses=documented(RequiredBody))
def set_review_required(collection_id: CollectionId, body: RequiredBody, store: Caller) -> JSONResponse:
    """Turn review on or off (admin level): versions made while it is on start as needs_review."""
    return JSONResponse({"required": store.set_review_required(collection_id, body.required)})


@router.get("/notifications", responses=documented(Notifications))
def notifications(store: Caller, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> JSONResponse:
    """The caller's newest notifications and the unread count."""
    return one(store.notifications(limit))


@router.post("/notifications/read", responses=documented(Notifications))
def mark_read(body: ReadBody, store: Caller) -> JSONResponse:
    """Mark everything up to the cursor read (the marker never goes back)."""
    return one(store.mark_notifications_read(body.up_to_cursor))
