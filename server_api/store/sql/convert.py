"""SELECTs that yield whole entities, and the row → frozen dataclass conversions.

Everything leaving the SQL store goes through here, so entities never carry ORM state across threads.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, func, select

from server_api.store.entities import AuditEvent, Grant, Texture, User, Version
from server_api.store.qa_rules import findings_from_json
from server_api.store.sql.models import (
    AuditEventRow,
    PermissionRow,
    TextureRow,
    UserRow,
    VersionRow,
)

U = UserRow.__table__
T = TextureRow.__table__
V = VersionRow.__table__
P = PermissionRow.__table__
E = AuditEventRow.__table__

_VERSION_FIELDS = (
    "id", "texture_id", "number", "blob_sha256", "byte_size", "format", "width", "height", "mode",
    "bit_depth", "has_alpha", "has_icc", "orientation", "note", "created_at", "published_at", "colour_space",
    "qa_findings", "qa_warnings", "qa_errors", "trashed_at",
)


def now() -> datetime:
    return datetime.now(UTC)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_user(row) -> User:
    return User(
        id=row.id, username=row.username, display_name=row.display_name or "",
        is_admin=bool(row.is_admin), is_active=bool(row.is_active), created_at=utc(row.created_at),
    )


def user_select() -> Select:
    return select(U.c.id, U.c.username, U.c.display_name, U.c.is_admin, U.c.is_active, U.c.created_at)


def version_select() -> Select:
    """Versions with their creator's name and whether they are their texture's current one."""
    return (
        select(
            *(V.c[name] for name in _VERSION_FIELDS),
            U.c.username.label("created_by"),
            T.c.current_version_id,
        )
        .select_from(V.join(U, U.c.id == V.c.created_by_id).join(T, T.c.id == V.c.texture_id))
    )


def to_version(row, prefix: str = "") -> Version:
    get = row._mapping
    vid = get[prefix + "id"]
    return Version(
        id=vid, texture_id=get[prefix + "texture_id"], number=get[prefix + "number"],
        sha256=get[prefix + "blob_sha256"], byte_size=get[prefix + "byte_size"],
        format=get[prefix + "format"], width=get[prefix + "width"], height=get[prefix + "height"],
        mode=get[prefix + "mode"], bit_depth=get[prefix + "bit_depth"],
        has_alpha=bool(get[prefix + "has_alpha"]), has_icc=bool(get[prefix + "has_icc"]),
        orientation=get[prefix + "orientation"], note=get[prefix + "note"] or "",
        created_by=get[prefix + "created_by"], created_at=utc(get[prefix + "created_at"]),
        is_current=vid == get["current_version_id"], published_at=utc(get[prefix + "published_at"]),
        colour_space=get[prefix + "colour_space"], qa=findings_from_json(get[prefix + "qa_findings"]),
        qa_warnings=get[prefix + "qa_warnings"], qa_errors=get[prefix + "qa_errors"],
        trashed_at=utc(get[prefix + "trashed_at"]),
    )


def texture_select() -> Select:
    """Textures joined to their current version (columns prefixed ``v_``) and version count."""
    counted = V.alias("counted")
    version_count = (
        select(func.count()).where(counted.c.texture_id == T.c.id, counted.c.trashed_at.is_(None))
        .scalar_subquery().label("version_count")  # versions in the version trash are not counted
    )
    return select(
        T.c.id, T.c.collection_id, T.c.name, T.c.original_path, T.c.created_at, T.c.updated_at,
        T.c.current_version_id, T.c.published_version_id, T.c.deleted_at, version_count,
        *(V.c[name].label("v_" + name) for name in _VERSION_FIELDS),
        U.c.username.label("v_created_by"),
    ).select_from(
        T.join(V, V.c.id == T.c.current_version_id).join(U, U.c.id == V.c.created_by_id)
    )


def to_texture(row, distance: float | None = None) -> Texture:
    return Texture(
        id=row.id, collection_id=row.collection_id, name=row.name, original_path=row.original_path,
        created_at=utc(row.created_at), updated_at=utc(row.updated_at),
        version_count=row.version_count, current=to_version(row, "v_"),
        published_version_id=row.published_version_id, deleted_at=utc(row.deleted_at), distance=distance,
    )


def to_grant(row) -> Grant:
    return Grant(
        collection_id=row.collection_id, username=row.username, level=row.level,
        granted_by=row.granted_by, granted_at=utc(row.granted_at),
    )


def to_event(row) -> AuditEvent:
    return AuditEvent(
        id=row.id, collection_id=row.collection_id, texture_id=row.texture_id,
        version_id=row.version_id, actor=row.actor, action=row.action, detail=row.detail or "",
        created_at=utc(row.created_at),
    )
