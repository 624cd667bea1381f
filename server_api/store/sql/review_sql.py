"""The review status rule in SQL, one home for the review mixin and the query compiler: a version's
status is the one an admin set, else needs_review when its collection required review when the
version was made, else none."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, exists, not_, or_, select

from server_api.store.sql.convert import T, V
from server_api.store.sql.models import CollectionReviewRow, VersionReviewRow

VR = VersionReviewRow.__table__
CR = CollectionReviewRow.__table__


def _under_default_review() -> ColumnElement:
    """The version (V joined to its texture T) was made while its collection required review."""
    return exists().where(CR.c.collection_id == T.c.collection_id, CR.c.since <= V.c.created_at)


def status_is(status: str) -> ColumnElement:
    """V (joined to T) has ``status`` now."""
    set_here = exists().where(VR.c.version_id == V.c.id, VR.c.status == status)
    if status != "needs_review":
        return set_here
    never_set = not_(exists().where(VR.c.version_id == V.c.id))
    return or_(set_here, and_(never_set, _under_default_review()))


def status_column():
    """V's status as a column (NULL: not under review), for selects joining T and V."""
    chosen = select(VR.c.status).where(VR.c.version_id == V.c.id).scalar_subquery()
    return case(
        (chosen.is_not(None), chosen),
        (_under_default_review(), "needs_review"),
        else_=None,
    )
