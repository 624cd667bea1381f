"""Collections: list what the caller can see, create, rename/describe, delete; storage per collection."""

from __future__ import annotations

import re

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update

from server_api.core.errors import VaultError
from server_api.store.entities import Collection, StorageUsage
from server_api.store.limits import MAX_COLLECTION_NAME, MAX_DESCRIPTION
from server_api.store.retention_api import check_keep_last
from server_api.store.sql import retention_ops
from server_api.store.sql.access import (
    C,
    P,
    collection_access,
    effective_level,
    record_event,
    require_server_admin,
)
from server_api.store.sql.convert import T, U, V, now, utc

CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def check_collection_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise VaultError("invalid_argument", "a collection needs a name")
    name = name.strip()
    if len(name) > MAX_COLLECTION_NAME or CONTROL_CHARS.search(name):
        raise VaultError(
            "invalid_argument",
            f"collection name {name[:40]!r} must be at most {MAX_COLLECTION_NAME} printable characters",
        )
    return name


def check_description(description: str) -> str:
    if not isinstance(description, str) or len(description) > MAX_DESCRIPTION:
        raise VaultError(
            "invalid_argument", f"description must be text of at most {MAX_DESCRIPTION} characters"
        )
    return description


def _collection_select(me):
    owner = U.alias("owner")
    mine = P.alias("mine")
    anyone = P.alias("anyone")
    texture_count = select(func.count()).where(
        T.c.collection_id == C.c.id, T.c.deleted_at.is_(None)).scalar_subquery()
    stmt = select(
        C.c.id, C.c.name, C.c.description, C.c.created_at, C.c.owner_id,
        owner.c.username.label("owner"), texture_count.label("texture_count"),
        mine.c.level.label("granted"), exists().where(anyone.c.collection_id == C.c.id).label("shared"),
    ).select_from(
        C.join(owner, owner.c.id == C.c.owner_id).outerjoin(
            mine, and_(mine.c.collection_id == C.c.id, mine.c.user_id == me.id)
        )
    )
    if not me.is_admin:
        stmt = stmt.where(or_(C.c.owner_id == me.id, mine.c.id.is_not(None)))
    return stmt


def _to_collection(me, row) -> Collection:
    return Collection(
        id=row.id, name=row.name, description=row.description or "", owner=row.owner,
        created_at=utc(row.created_at), texture_count=row.texture_count,
        my_level=effective_level(me, row.owner_id, row.granted), shared=bool(row.shared),
    )


class CollectionsMixin:
    def list_collections(self) -> list[Collection]:
        me = self._me()
        with self._read() as s:
            rows = s.execute(_collection_select(me).order_by(func.lower(C.c.name), C.c.id))
            return [_to_collection(me, r) for r in rows]

    def get_collection(self, collection_id: int) -> Collection:
        me = self._me()
        with self._read() as s:
            collection_access(s, me, collection_id)
            return self._load_collection(s, me, collection_id)

    def _load_collection(self, s, me, collection_id: int) -> Collection:
        row = s.execute(_collection_select(me).where(C.c.id == collection_id)).one()
        return _to_collection(me, row)

    def create_collection(self, name: str, description: str = "") -> Collection:
        me = self._me()
        name, description = check_collection_name(name), check_description(description)
        with self.session() as s:
            self._check_name_free(s, me.id, name)
            collection_id = s.execute(
                insert(C).values(name=name, description=description, owner_id=me.id, created_at=now())
                .returning(C.c.id)
            ).scalar_one()
            record_event(s, me, "create_collection", f"created collection {name!r}", collection_id)
            return self._load_collection(s, me, collection_id)

    def update_collection(
        self, collection_id: int, *, name: str | None = None, description: str | None = None
    ) -> Collection:
        me = self._me()
        with self.session() as s:
            access = collection_access(s, me, collection_id, "admin")
            values, changes = {}, []
            if name is not None and check_collection_name(name) != access.collection_name:
                values["name"] = check_collection_name(name)
                self._check_name_free(s, access.owner_id, values["name"])
                changes.append(f"renamed {access.collection_name!r} to {values['name']!r}")
            if description is not None:
                values["description"] = check_description(description)
                changes.append("changed the description")
            if values:
                s.execute(update(C).where(C.c.id == collection_id).values(**values))
                record_event(s, me, "update_collection", "; ".join(changes), collection_id)
            return self._load_collection(s, me, collection_id)

    def delete_collection(self, collection_id: int) -> None:
        me = self._me()
        with self.session() as s:
            access = collection_access(s, me, collection_id, "owner")
            in_collection = select(T.c.id).where(T.c.collection_id == collection_id)
            # Textures point at versions and versions at textures: unhook, then delete children first.
            s.execute(update(T).where(T.c.collection_id == collection_id).values(
                current_version_id=None, published_version_id=None))
            s.execute(delete(V).where(V.c.texture_id.in_(in_collection)))
            s.execute(delete(T).where(T.c.collection_id == collection_id))
            s.execute(delete(P).where(P.c.collection_id == collection_id))
            s.execute(delete(C).where(C.c.id == collection_id))
            record_event(s, me, "delete_collection", f"deleted collection {access.collection_name!r}",
                         collection_id)

    def storage_usage(self, keep_last: int | None = None) -> list[StorageUsage]:
        require_server_admin(self._me(), "see storage usage")
        keep_last = check_keep_last(keep_last)
        owner = U.alias("owner")
        textures = (  # versions in the version trash are not counted, their bytes are (they are stored)
            select(T.c.collection_id, func.count(func.distinct(T.c.id)).label("textures"),
                   func.count(V.c.id).filter(V.c.trashed_at.is_(None)).label("versions"),
                   func.coalesce(func.sum(V.c.byte_size), 0).label("bytes"))
            .select_from(T.outerjoin(V, V.c.texture_id == T.c.id))
            .group_by(T.c.collection_id).subquery()
        )
        stmt = (
            select(C.c.id, C.c.name, C.c.keep_last, owner.c.username, textures.c.textures,
                   textures.c.versions, textures.c.bytes)
            .select_from(C.join(owner, owner.c.id == C.c.owner_id)
                         .outerjoin(textures, textures.c.collection_id == C.c.id))
            .order_by(C.c.id)
        )
        usage = []
        with self._read() as s:
            for r in s.execute(stmt).all():
                would = retention_ops.measure(s, r.id, keep_last or r.keep_last)
                usage.append(StorageUsage(
                    collection_id=r.id, collection_name=r.name, owner=r.username,
                    texture_count=r.textures or 0, version_count=r.versions or 0, byte_size=int(r.bytes or 0),
                    unique_bytes=retention_ops.unique_bytes(s, r.id), keep_last=r.keep_last,
                    would_trash_versions=would.versions, would_trash_bytes=would.byte_size,
                    would_free_bytes=would.reclaimable_bytes))
        return usage

    @staticmethod
    def _check_name_free(s, owner_id: int, name: str) -> None:
        taken = s.execute(select(C.c.id).where(C.c.owner_id == owner_id, C.c.name == name)).first()
        if taken:
            raise VaultError("conflict", f"a collection named {name!r} already exists")
