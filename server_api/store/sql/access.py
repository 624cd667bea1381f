"""Permission checks for the SQL store: the one place that decides who may do what.

The rules are VaultStore's (base.py): read < write < admin < owner, a server admin above all.
A collection the caller cannot read is "not_found", so its existence never leaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from server_api.core.errors import VaultError
from server_api.store.entities import User, level_rank
from server_api.store.sql.change_log import queue_events
from server_api.store.sql.convert import T, V, now
from server_api.store.sql.models import CollectionRow, PermissionRow
from server_api.store.sql.queries import fits_column

C = CollectionRow.__table__
P = PermissionRow.__table__


@dataclass(frozen=True)
class Access:
    collection_id: int
    collection_name: str
    owner_id: int
    level: str  # the caller's effective level; a server admin counts as "owner"
    keep_last: int | None = None  # the retention policy, read with the access (no extra query on import)


def effective_level(me: User, owner_id: int, granted: str | None) -> str | None:
    if me.is_admin or owner_id == me.id:
        return "owner"
    return granted


def collection_access(s: Session, me: User, collection_id: int, needed: str = "read") -> Access:
    """The caller's access to a collection, or a VaultError when it is below ``needed``."""
    row = s.execute(
        select(C.c.id, C.c.name, C.c.owner_id, C.c.keep_last, P.c.level)
        .outerjoin(P, and_(P.c.collection_id == C.c.id, P.c.user_id == me.id))
        .where(C.c.id == _as_id(collection_id, "collection"))
    ).first()
    level = effective_level(me, row.owner_id, row.level) if row else None
    if level_rank(level) == 0:
        raise VaultError("not_found", f"collection {collection_id} not found")
    if level_rank(level) < level_rank(needed):
        raise VaultError(
            "permission_denied",
            f"{needed} access to collection {row.name!r} is needed; you have {level}",
        )
    return Access(row.id, row.name, row.owner_id, level, row.keep_last)


def texture_access(s: Session, me: User, texture_id: int, needed: str = "read", *,
                   trashed_ok: bool = False) -> Access:
    """Access to the collection holding a texture; "not_found" for textures the caller cannot see,
    and for textures in the trash unless ``trashed_ok`` (restoring, their versions' bytes)."""
    row = s.execute(
        select(T.c.collection_id, T.c.name, T.c.deleted_at).where(T.c.id == _as_id(texture_id, "texture"))
    ).first()
    if row is None:
        raise VaultError("not_found", f"texture {texture_id} not found")
    with _not_found_as("texture", texture_id):
        access = collection_access(s, me, row.collection_id, needed)
    if row.deleted_at is not None and not trashed_ok:
        raise VaultError("not_found", f"texture {row.name!r} is in the trash (restore it first)")
    return access


def version_access(s: Session, me: User, version_id: int, needed: str = "read") -> tuple[Access, int]:
    """Access to the collection holding a version, and the version's texture id."""
    texture_id = s.execute(
        select(V.c.texture_id).where(V.c.id == _as_id(version_id, "version"))
    ).scalar()
    if texture_id is None:
        raise VaultError("not_found", f"version {version_id} not found")
    with _not_found_as("version", version_id):
        return texture_access(s, me, texture_id, needed, trashed_ok=True), texture_id


@contextmanager
def _not_found_as(kind: str, ident: int) -> Iterator[None]:
    """Name the thing asked for, not the collection behind it, when the caller may not see it."""
    try:
        yield
    except VaultError as exc:
        if exc.code == "not_found":
            raise VaultError("not_found", f"{kind} {ident} not found") from None
        raise


def require_server_admin(me: User, what: str) -> None:
    if not me.is_admin:
        raise VaultError("permission_denied", f"only a server admin may {what}")


def record_event(
    s: Session, me: User, action: str, detail: str, collection_id: int | None,
    texture_id: int | None = None, version_id: int | None = None, material_id: int | None = None,
) -> None:
    """One audit row (a change in the feed: store/change_kinds.py names its kind), written when the
    transaction making the change commits (change_log.py: ids in commit order)."""
    queue_events(s, [dict(
        collection_id=collection_id, texture_id=texture_id, version_id=version_id,
        material_id=material_id, actor_id=me.id, action=action, detail=detail, created_at=now(),
    )])


def record_added(s: Session, me: User, collection_id: int, added: list[tuple[int, str, int]]) -> None:
    """Activity rows for new textures and versions, (texture id, name, version number) each: one
    INSERT for a whole import batch, in the transaction that wrote them."""
    if added:
        when = now()
        queue_events(s, [dict(
            collection_id=collection_id, texture_id=texture_id, version_id=None, material_id=None,
            actor_id=me.id, action="add_texture" if number == 1 else "add_version",
            detail=f"added {name!r}" if number == 1 else f"added v{number} of {name!r}", created_at=when)
            for texture_id, name, number in added])


def _as_id(value, kind: str) -> int:
    # bool is an int subclass; True must not mean "collection 1".
    if isinstance(value, bool) or not isinstance(value, int):
        raise VaultError("invalid_argument", f"{kind} id must be an integer, not {value!r}")
    if not fits_column(value):  # past the INTEGER column: no such row (PostgreSQL would error)
        raise VaultError("not_found", f"{kind} {value} not found")
    return value
