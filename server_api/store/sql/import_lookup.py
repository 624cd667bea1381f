"""What the import decision (store/import_decision.py) needs to know, read in a few batched SELECTs:
the textures at the files' paths, the ones in the collection already holding their bytes, and the
ones in other collections the caller can read holding them. Trashed textures count nowhere."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select

from server_api.store.entities import User
from server_api.store.import_decision import Decision, Known, decide
from server_api.store.sql.access import C, P
from server_api.store.sql.convert import T, V

CHUNK = 500  # bound parameters per SELECT: far below every database's limit
ELSEWHERE_PER_FILE = 4


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _live_current():
    return (select(T.c.id, T.c.name, T.c.original_path, T.c.collection_id, V.c.blob_sha256, V.c.number,
                   V.c.format, V.c.width, V.c.height)
            .join(V, V.c.id == T.c.current_version_id).where(T.c.deleted_at.is_(None)))


def _known(r, collection: str = "") -> Known:
    return Known(r.id, r.name, r.blob_sha256, r.number, collection, r.format, r.width, r.height)


def by_path(s, collection_id: int, paths: Iterable[str]) -> dict[str, Known]:
    """Textures of the collection at any of ``paths``."""
    found: dict[str, Known] = {}
    for part in _chunks(list(dict.fromkeys(paths))):
        rows = s.execute(_live_current().where(T.c.collection_id == collection_id,
                                               T.c.original_path.in_(part)))
        for r in rows:
            found[r.original_path] = _known(r)
    return found


def by_bytes(s, collection_id: int, hashes: Iterable[str]) -> dict[str, Known]:
    """One texture of the collection (the oldest) whose current version holds each hash."""
    found: dict[str, Known] = {}
    for part in _chunks(list(dict.fromkeys(hashes))):
        rows = s.execute(_live_current().where(T.c.collection_id == collection_id,
                                               V.c.blob_sha256.in_(part)).order_by(T.c.id))
        for r in rows:
            found.setdefault(r.blob_sha256, _known(r))
    return found


def elsewhere(s, me: User, collection_id: int, hashes: Iterable[str]) -> dict[str, list[Known]]:
    """Textures in other collections the caller can read whose current version holds each hash."""
    found: dict[str, list[Known]] = {}
    for part in _chunks(list(dict.fromkeys(hashes))):
        stmt = (_live_current().add_columns(C.c.name.label("collection_name"))
                .join(C, C.c.id == T.c.collection_id)
                .outerjoin(P, and_(P.c.collection_id == C.c.id, P.c.user_id == me.id))
                .where(T.c.collection_id != collection_id, V.c.blob_sha256.in_(part))
                .order_by(C.c.name, T.c.id))
        if not me.is_admin:
            stmt = stmt.where(or_(C.c.owner_id == me.id, P.c.level.is_not(None)))
        for r in s.execute(stmt):
            places = found.setdefault(r.blob_sha256, [])
            if len(places) < ELSEWHERE_PER_FILE:
                places.append(_known(r, r.collection_name))
    return found


def decisions(s, me: User, collection_id: int, files: list[tuple[str, str]]) -> dict[str, Decision]:
    """The decision for each (original path, sha256), keyed by path."""
    at_path = by_path(s, collection_id, [p for p, _ in files])
    loose = [sha for p, sha in files if p not in at_path]  # only files at new paths look further
    here = by_bytes(s, collection_id, loose)
    other = elsewhere(s, me, collection_id, [sha for sha in loose if sha not in here])
    return {path: decide(sha, at_path.get(path), here.get(sha), other.get(sha, ()))
            for path, sha in files}
