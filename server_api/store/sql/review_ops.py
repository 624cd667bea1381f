"""Review on the SQL face: comments on versions (optionally on an image region) and review status.
The rules are review_api.py's; every write records its audit event in the same transaction."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from server_api.core.errors import VaultError
from server_api.store.entities import User, level_rank
from server_api.store.review_entities import REVIEW_STATUSES, Comment, Region, ReviewState
from server_api.store.review_rules import comment_region, comment_text
from server_api.store.sql.access import collection_access, record_event, texture_access, version_access
from server_api.store.sql.convert import T, U, V, now, utc
from server_api.store.sql.models import CollectionReviewRow, CommentRow
from server_api.store.sql.review_sql import VR, status_column
from server_api.store.sql.rows import scoped_upload_key

CM = CommentRow.__table__
CR = CollectionReviewRow.__table__


class ReviewMixin:
    # ---- comments -----------------------------------------------------------------------------
    def add_comment(self, version_id: int, text: str, region: Region | None = None,
                    key: str | None = None) -> Comment:
        text, region = comment_text(text), comment_region(region)
        me = self._me()
        scoped = scoped_upload_key(key, me, "comments", "idempotency key")  # the author's keys only
        try:
            with self.session() as s:
                access, texture_id, number, name = _version_for_writing(s, me, version_id, "read")
                earlier = _keyed_comment(s, scoped, key, version_id, text, region)
                if earlier is not None:
                    return earlier  # a retry whose first attempt landed: that comment, not a second
                comment_id = s.execute(insert(CM).values(
                    version_id=version_id, author_id=me.id, text=text, created_at=now(),
                    region_x=region and region.x, region_y=region and region.y,
                    region_w=region and region.w, region_h=region and region.h, idempotency_key=scoped,
                ).returning(CM.c.id)).scalar_one()
                record_event(s, me, "comment_added", f"commented on v{number} of {name!r}: {_gist(text)}",
                             access.collection_id, texture_id, version_id)
                return _load_comment(s, comment_id)
        except VaultError as exc:
            if exc.code != "conflict" or scoped is None:
                raise
            with self._read() as s:  # the same key at the same moment: the other attempt's insert won
                earlier = _keyed_comment(s, scoped, key, version_id, text, region)
            if earlier is None:
                raise
            return earlier

    def edit_comment(self, comment_id: int, text: str) -> Comment:
        text = comment_text(text)
        me = self._me()
        with self.session() as s:
            comment, access, name = _comment_for_writing(s, me, comment_id)
            if comment.author != me.username:
                raise VaultError("permission_denied", f"only {comment.author} may edit comment {comment_id}")
            s.execute(update(CM).where(CM.c.id == comment.id).values(text=text, edited_at=now()))
            record_event(s, me, "comment_edited",
                         f"edited a comment on v{comment.version_number} of {name!r}: {_gist(text)}",
                         access.collection_id, comment.texture_id, comment.version_id)
            return _load_comment(s, comment.id)

    def delete_comment(self, comment_id: int) -> None:
        me = self._me()
        with self.session() as s:
            comment, access, name = _comment_for_writing(s, me, comment_id)
            if comment.author != me.username and level_rank(access.level) < level_rank("admin"):
                raise VaultError("permission_denied", f"only {comment.author} or a collection admin may "
                                 f"delete comment {comment_id}")
            s.execute(delete(CM).where(CM.c.id == comment.id))
            record_event(s, me, "comment_deleted",
                         f"deleted {comment.author}'s comment on v{comment.version_number} of {name!r}",
                         access.collection_id, comment.texture_id, comment.version_id)

    def list_comments(self, version_id: int) -> list[Comment]:
        me = self._me()
        with self._read() as s:
            version_access(s, me, version_id)
            rows = s.execute(_comment_select().where(CM.c.version_id == version_id).order_by(CM.c.id))
            return [_to_comment(r) for r in rows]

    def texture_comments(self, texture_id: int) -> list[Comment]:
        me = self._me()
        with self._read() as s:
            texture_access(s, me, texture_id, trashed_ok=True)
            rows = s.execute(_comment_select().where(V.c.texture_id == texture_id).order_by(CM.c.id))
            return [_to_comment(r) for r in rows]

    # ---- review status ------------------------------------------------------------------------
    def review_state(self, version_id: int) -> ReviewState:
        me = self._me()
        with self._read() as s:
            version_access(s, me, version_id)
            return _review_state(s, version_id)

    def set_review_status(self, version_id: int, status: str) -> ReviewState:
        if status not in REVIEW_STATUSES:
            raise VaultError("invalid_argument", f"review status {str(status)[:40]!r} must be one of "
                             f"{', '.join(REVIEW_STATUSES)}")
        me = self._me()
        with self.session() as s:
            access, texture_id, number, name = _version_for_writing(s, me, version_id, "admin")
            s.execute(delete(VR).where(VR.c.version_id == version_id))
            s.execute(insert(VR).values(version_id=version_id, status=status, set_by_id=me.id, set_at=now()))
            record_event(s, me, "review_status", f"set v{number} of {name!r} to {status.replace('_', ' ')}",
                         access.collection_id, texture_id, version_id)
            return _review_state(s, version_id)

    def review_statuses(self, collection_id: int) -> dict[int, str]:
        me = self._me()
        with self._read() as s:
            collection_access(s, me, collection_id)
            status = status_column().label("status")
            rows = s.execute(
                select(T.c.id, status).select_from(T.join(V, V.c.id == T.c.current_version_id))
                .where(T.c.collection_id == collection_id, T.c.deleted_at.is_(None))
            )
            return {r.id: r.status for r in rows if r.status is not None}

    def review_required(self, collection_id: int) -> bool:
        me = self._me()
        with self._read() as s:
            collection_access(s, me, collection_id)
            return _required(s, collection_id)

    def set_review_required(self, collection_id: int, required: bool) -> bool:
        if not isinstance(required, bool):
            raise VaultError("invalid_argument", f"review required must be true or false, not {required!r}")
        me = self._me()
        with self.session() as s:
            access = collection_access(s, me, collection_id, "admin")
            if required == _required(s, collection_id):
                return required
            if required:
                s.execute(insert(CR).values(collection_id=collection_id, since=now(), set_by_id=me.id))
            else:
                s.execute(delete(CR).where(CR.c.collection_id == collection_id))
            record_event(s, me, "review_required",
                         f"turned review {'on' if required else 'off'} for {access.collection_name!r}",
                         collection_id)
            return required


def _version_for_writing(s, me: User, version_id: int, needed: str):
    """(access, texture id, version number, texture name) for a write on a version; the version of
    a texture in the trash is "not_found" (restore it first)."""
    access, texture_id = version_access(s, me, version_id, needed)
    texture_access(s, me, texture_id, needed)
    row = s.execute(select(V.c.number, T.c.name).join(T, T.c.id == V.c.texture_id)
                    .where(V.c.id == version_id)).one()
    return access, texture_id, row.number, row.name


def _comment_for_writing(s, me: User, comment_id: int):
    if isinstance(comment_id, bool) or not isinstance(comment_id, int):
        raise VaultError("invalid_argument", f"comment id must be an integer, not {comment_id!r}")
    row = s.execute(_comment_select().where(CM.c.id == comment_id)).first()
    if row is None:
        raise VaultError("not_found", f"comment {comment_id} not found")
    comment = _to_comment(row)
    try:
        access, *_ignored, name = _version_for_writing(s, me, comment.version_id, "read")
    except VaultError as exc:
        if exc.code == "not_found":
            raise VaultError("not_found", f"comment {comment_id} not found") from None
        raise
    return comment, access, name


def _keyed_comment(s, scoped: str | None, key: str | None, version_id: int, text: str,
                   region: Region | None) -> Comment | None:
    """The comment an earlier request of the caller's with this key made, when this request repeats
    it; the key used for another comment (other text, region or version) is a conflict naming it.
    Text its author has edited since no longer tells, so then the version and region must agree."""
    if scoped is None:
        return None
    row = s.execute(_comment_select().where(CM.c.idempotency_key == scoped)).first()
    if row is None:
        return None
    earlier = _to_comment(row)
    same_text = earlier.text == text or earlier.edited_at is not None
    if earlier.version_id != version_id or earlier.region != region or not same_text:
        raise VaultError("conflict", f"idempotency key {key[:80]!r} was already used for a different "
                         f"comment (comment {earlier.id}); send a new key with a new comment")
    return earlier


def _gist(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 80 else line[:79] + "…"


def _comment_select():
    return (
        select(CM, V.c.texture_id, V.c.number.label("version_number"), U.c.username.label("author"))
        .select_from(CM.join(V, V.c.id == CM.c.version_id).join(U, U.c.id == CM.c.author_id))
    )


def _to_comment(row) -> Comment:
    region = None
    if row.region_x is not None:
        region = Region(row.region_x, row.region_y, row.region_w, row.region_h)
    return Comment(
        id=row.id, version_id=row.version_id, texture_id=row.texture_id,
        version_number=row.version_number, author=row.author, text=row.text, region=region,
        created_at=utc(row.created_at), edited_at=utc(row.edited_at),
    )


def _load_comment(s, comment_id: int) -> Comment:
    return _to_comment(s.execute(_comment_select().where(CM.c.id == comment_id)).one())


def _review_state(s, version_id: int) -> ReviewState:
    set_row = s.execute(
        select(VR.c.status, VR.c.set_at, U.c.username).join(U, U.c.id == VR.c.set_by_id)
        .where(VR.c.version_id == version_id)
    ).first()
    if set_row is not None:
        return ReviewState(version_id, set_row.status, set_row.username, utc(set_row.set_at))
    status = s.execute(
        select(status_column()).select_from(V.join(T, T.c.id == V.c.texture_id)).where(V.c.id == version_id)
    ).scalar()
    return ReviewState(version_id, status, None, None)


def _required(s, collection_id: int) -> bool:
    found = s.execute(select(CR.c.collection_id).where(CR.c.collection_id == collection_id)).first()
    return found is not None
