"""The trash: a deleted texture keeps its rows (hidden from listings, counts and lookups) so it can
be restored, until the trash is emptied or TRASH_KEEP_DAYS pass. Bytes stay until then too: the
blob garbage collector only drops bytes no row names.

Importing a file at the path of a texture in the trash replaces that texture (the path is unique
per collection, and the artist brought the file back on purpose).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, select, update

from server_api.store.entities import Texture
from server_api.store.sql.access import collection_access, record_event, texture_access
from server_api.store.sql.convert import T, V, now, texture_select, to_texture
from server_api.store.sql.rows import load_texture

TRASH_KEEP_DAYS = 30


class TrashMixin:
    def list_trash(self, collection_id: int) -> list[Texture]:
        me = self._me()
        with self._read() as s:
            collection_access(s, me, collection_id)
            rows = s.execute(texture_select().where(
                T.c.collection_id == collection_id, T.c.deleted_at.is_not(None),
                T.c.deleted_at >= _expiry()).order_by(T.c.deleted_at.desc(), T.c.id.desc())).all()
        return [to_texture(r) for r in rows]

    def restore_texture(self, texture_id: int) -> Texture:
        me = self._me()
        with self.session() as s:
            access = texture_access(s, me, texture_id, "write", trashed_ok=True)
            texture = load_texture(s, texture_id)
            if texture.deleted_at is None:
                return texture  # already back (a retried request): nothing to do
            s.execute(update(T).where(T.c.id == texture_id).values(deleted_at=None))
            record_event(s, me, "restore_texture", f"restored {texture.name!r} from the trash",
                         access.collection_id, texture_id=texture_id)
            return load_texture(s, texture_id)

    def empty_trash(self, collection_id: int) -> int:
        me = self._me()
        with self.session() as s:
            access = collection_access(s, me, collection_id, "write")
            ids = s.execute(select(T.c.id).where(
                T.c.collection_id == collection_id, T.c.deleted_at.is_not(None))).scalars().all()
            purge_textures(s, ids)
            if ids:
                record_event(s, me, "empty_trash", f"emptied the trash ({len(ids)} textures)",
                             access.collection_id)
        return len(ids)


def move_to_trash(s, texture_id: int) -> None:
    """Hide a texture; textures past their time in the trash go for good in the same transaction."""
    s.execute(update(T).where(T.c.id == texture_id).values(deleted_at=now()))
    purge_textures(s, s.execute(select(T.c.id).where(T.c.deleted_at < _expiry())).scalars().all())


def free_trashed_paths(s, collection_id: int, paths: Iterable[str]) -> None:
    """Purge textures in the trash that hold any of ``paths``, so a new import can take them."""
    paths = list(paths)
    for start in range(0, len(paths), 500):
        ids = s.execute(select(T.c.id).where(
            T.c.collection_id == collection_id, T.c.deleted_at.is_not(None),
            T.c.original_path.in_(paths[start:start + 500]))).scalars().all()
        purge_textures(s, ids)


def purge_textures(s, texture_ids: list[int]) -> None:
    """Delete textures and their versions for good (textures point at versions: unhook first)."""
    if not texture_ids:
        return
    s.execute(update(T).where(T.c.id.in_(texture_ids)).values(
        current_version_id=None, published_version_id=None))
    s.execute(delete(V).where(V.c.texture_id.in_(texture_ids)))
    s.execute(delete(T).where(T.c.id.in_(texture_ids)))


def _expiry():
    return now() - timedelta(days=TRASH_KEEP_DAYS)
