"""Retention on the SQL face (store/retention_api.py says what it means): the policy, applying it in
one UPDATE, the version trash (list, restore, empty, purge after TRASH_KEEP_DAYS) and the measures
behind a preview and ``vault-server storage``.

A version is *out of retention* when it is not in the trash yet, not published, not its texture's
current version, and its number is at most the texture's highest number minus N (the last N by
number, trashed ones counted, so raising N never pulls old versions back by itself).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, delete, exists, func, not_, select, update

from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.store.entities import Version
from server_api.store.retention_api import RetentionPolicy, RetentionReport, TrashedVersion, check_keep_last
from server_api.store.sql.access import (
    Access,
    C,
    collection_access,
    record_event,
    texture_access,
    version_access,
)
from server_api.store.sql.convert import T, V, now, to_version, version_select
from server_api.store.sql.rows import load_version
from server_api.store.sql.trash_ops import TRASH_KEEP_DAYS


class RetentionMixin:
    def retention(self, collection_id: int) -> RetentionPolicy:
        me = self._me()
        with self._read() as s:
            access = collection_access(s, me, collection_id)
        return RetentionPolicy(access.collection_id, access.keep_last)

    def retention_preview(self, collection_id: int, keep_last: int | None) -> RetentionReport:
        me = self._me()
        keep_last = check_keep_last(keep_last)
        with self._read() as s:
            collection_access(s, me, collection_id)
            return measure(s, collection_id, keep_last)

    def set_retention(self, collection_id: int, keep_last: int | None) -> RetentionReport:
        me = self._me()
        keep_last = check_keep_last(keep_last)
        # One transaction: the policy, the versions it moves and the event land together or not at all.
        with self.session() as s:
            access = collection_access(s, me, collection_id, "admin")
            report = measure(s, collection_id, keep_last)
            s.execute(update(C).where(C.c.id == collection_id).values(keep_last=keep_last))
            purge_expired_versions(s)
            moved = apply_retention(s, me, Access(access.collection_id, access.collection_name,
                                                  access.owner_id, access.level, keep_last), record=False)
            policy = (f"to keep the last {counted(keep_last, 'version')}" if keep_last
                      else "to keep every version")
            moved_words = f"; {counted(moved, 'older version')} moved to the version trash" if moved else ""
            record_event(s, me, "retention_set",
                         f"set the retention of {access.collection_name!r} {policy}{moved_words}",
                         collection_id)
        return RetentionReport(collection_id, keep_last, moved, report.textures, report.byte_size,
                               report.reclaimable_bytes, applied=True)

    def list_version_trash(self, collection_id: int, *, limit: int = 1000) -> list[TrashedVersion]:
        me = self._me()
        limit = max(1, min(int(limit), 10_000))
        with self._read() as s:
            collection_access(s, me, collection_id)
            rows = s.execute(version_select().add_columns(T.c.name.label("texture_name")).where(
                T.c.collection_id == collection_id, T.c.deleted_at.is_(None), V.c.trashed_at.is_not(None),
                V.c.trashed_at >= _expiry()).order_by(V.c.trashed_at.desc(), V.c.id.desc())
                .limit(limit)).all()
        return [TrashedVersion(r.texture_id, r.texture_name, to_version(r)) for r in rows]

    def restore_version(self, version_id: int) -> Version:
        me = self._me()
        with self.session() as s:
            access, texture_id = version_access(s, me, version_id, "write")
            texture_access(s, me, texture_id, "write")  # its texture in the trash: restore that first
            version = load_version(s, version_id)
            if version.trashed_at is None:
                return version  # already back (a retried request): nothing to do
            s.execute(update(V).where(V.c.id == version.id).values(trashed_at=None))
            name = s.execute(select(T.c.name).where(T.c.id == version.texture_id)).scalar_one()
            record_event(s, me, "restore_version", f"restored v{version.number} of {name!r} from the version "
                         "trash", access.collection_id, version.texture_id, version.id)
            return load_version(s, version.id)

    def empty_version_trash(self, collection_id: int) -> int:
        me = self._me()
        with self.session() as s:
            access = collection_access(s, me, collection_id, "write")
            ids = s.execute(select(V.c.id).join(T, T.c.id == V.c.texture_id).where(
                T.c.collection_id == collection_id, V.c.trashed_at.is_not(None))).scalars().all()
            purge_versions(s, ids)
            if ids:
                record_event(s, me, "empty_version_trash",
                             f"emptied the version trash ({counted(len(ids), 'version')})",
                             access.collection_id)
        return len(ids)


def apply_retention(s, me, access: Access, texture_ids: list[int] | None = None, *,
                    record: bool = True) -> int:
    """Move what the collection's policy no longer keeps to the version trash: ONE statement (for the
    textures just given, e.g. an import batch's, or the whole collection); nothing at all without a
    policy. How many versions moved; an event says so when ``record``."""
    keep_last = access.keep_last
    if keep_last is None or (texture_ids is not None and not texture_ids):
        return 0
    textures = texture_ids if texture_ids is not None else _live_textures(access.collection_id)
    scope = V.c.texture_id.in_(textures)
    moved = s.execute(update(V).where(scope, out_of_retention(V, keep_last))
                      .values(trashed_at=now())).rowcount
    if moved and record:
        record_event(s, me, "trash_versions", f"moved {counted(moved, 'older version')} to the version trash "
                     f"(keeping the last {keep_last})", access.collection_id)
    return moved


def out_of_retention(v, keep_last: int):
    """The clause for version rows ``v`` (the table or an alias) the policy would move to the trash."""
    newer = V.alias()
    highest = select(func.max(newer.c.number)).where(newer.c.texture_id == v.c.texture_id).scalar_subquery()
    current = select(T.c.current_version_id).where(T.c.id == v.c.texture_id).scalar_subquery()
    return and_(v.c.trashed_at.is_(None), v.c.published_at.is_(None),
                v.c.id != func.coalesce(current, -1), v.c.number <= highest - keep_last)


def measure(s, collection_id: int, keep_last: int | None) -> RetentionReport:
    """What ``keep_last`` would move now, and the bytes of blobs that no version left outside the
    version trash would still name (what gc frees once the trash is purged)."""
    if keep_last is None:
        return RetentionReport(collection_id, None, 0, 0, 0, 0, applied=False)
    live = _live_textures(collection_id)
    moving = select(V.c.id, V.c.texture_id, V.c.blob_sha256, V.c.byte_size).where(
        V.c.texture_id.in_(live), out_of_retention(V, keep_last)).subquery()
    totals = s.execute(select(func.count(moving.c.id), func.count(func.distinct(moving.c.texture_id)),
                              func.coalesce(func.sum(moving.c.byte_size), 0))).one()
    other = V.alias("other")
    stays = and_(other.c.trashed_at.is_(None),
                 not_(and_(other.c.texture_id.in_(live), out_of_retention(other, keep_last))))
    # distinct blobs first, then one look per blob (not per version: 10k versions may share one blob)
    blobs = (select(moving.c.blob_sha256, func.max(moving.c.byte_size).label("size"))
             .group_by(moving.c.blob_sha256).subquery())
    freed = s.execute(select(func.coalesce(func.sum(blobs.c.size), 0))
                      .where(~exists().where(other.c.blob_sha256 == blobs.c.blob_sha256, stays))).scalar_one()
    return RetentionReport(collection_id, keep_last, totals[0], totals[1], int(totals[2]), int(freed),
                           applied=False)


def unique_bytes(s, collection_id: int) -> int:
    """Bytes of the blobs this collection's version rows name and no other collection's rows do."""
    mine = (select(V.c.blob_sha256, func.max(V.c.byte_size).label("size")).join(T, T.c.id == V.c.texture_id)
            .where(T.c.collection_id == collection_id).group_by(V.c.blob_sha256).subquery())
    other, other_t = V.alias("other"), T.alias("other_t")
    elsewhere = exists().where(other.c.blob_sha256 == mine.c.blob_sha256, other_t.c.id == other.c.texture_id,
                               other_t.c.collection_id != collection_id)
    return int(s.execute(select(func.coalesce(func.sum(mine.c.size), 0)).where(~elsewhere)).scalar_one())


def refuse_trashed(s, version_ids, what: str) -> None:
    """A version in the version trash is not made current by any path (materials included): restore
    it first, as set_current_version says (rows.not_trashed)."""
    found = s.execute(select(V.c.id, V.c.number, T.c.name).join(T, T.c.id == V.c.texture_id).where(
        V.c.id.in_(list(version_ids)), V.c.trashed_at.is_not(None)).limit(1)).first()
    if found is not None:
        raise VaultError("conflict", f"v{found.number} of {found.name!r} is in the version trash and cannot "
                         f"be {what}; restore it first (vault restore-version {found.id})")


def purge_versions(s, version_ids: list[int]) -> None:
    """Delete trashed versions for good (their comments, review and material-version entries go with
    them); their bytes stay until gc finds no row naming them."""
    for start in range(0, len(version_ids), 500):
        s.execute(delete(V).where(V.c.id.in_(version_ids[start:start + 500])))


def purge_expired_versions(s) -> int:
    """Versions past TRASH_KEEP_DAYS in the version trash go for good; how many."""
    ids = s.execute(select(V.c.id).where(V.c.trashed_at < _expiry())).scalars().all()
    purge_versions(s, list(ids))
    return len(ids)


def _live_textures(collection_id: int):
    return select(T.c.id).where(T.c.collection_id == collection_id, T.c.deleted_at.is_(None))


def _expiry():
    return now() - timedelta(days=TRASH_KEEP_DAYS)
