"""Textures: list (filtered, sorted, keyset-paged), count, get, find, add (version 1), delete (to trash)."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from server_api.content.source import Progress, Source
from server_api.core.errors import VaultError
from server_api.store.entities import Page, Texture, TextureQuery
from server_api.store.sql import queries
from server_api.store.sql.access import collection_access, record_added, record_event, texture_access
from server_api.store.sql.convert import T, V, now, texture_select, to_texture
from server_api.store.sql.ingest import display_name, facts_read, ingest
from server_api.store.sql.qa_ops import check_versions, import_facts, wants_pixels, with_findings
from server_api.store.sql.rows import (
    check_note,
    check_original_path,
    insert_version,
    load_texture,
    scoped_upload_key,
    version_by_upload_key,
)
from server_api.store.sql.tag_ops import with_tags
from server_api.store.sql.trash_ops import free_trashed_paths, move_to_trash


class TexturesMixin:
    def list_textures(
        self, collection_id: int, query: TextureQuery = TextureQuery(), *, limit: int = 200,
        cursor: str | None = None,
    ) -> Page[Texture]:
        me = self._me()
        queries.check_query(query)
        with self._read() as s:
            collection_access(s, me, collection_id)
            scope = T.c.collection_id == collection_id
            rows, next_cursor, distances = queries.page(s, texture_select(), scope, query, limit, cursor)
            items = with_tags(s, [to_texture(r, distances.get(r.id)) for r in rows])
        return Page(items=items, next=next_cursor)

    def count_textures(self, collection_id: int, query: TextureQuery = TextureQuery()) -> int:
        me = self._me()
        queries.check_query(query)
        with self._read() as s:
            collection_access(s, me, collection_id)
            stmt = queries.filtered(texture_select(), s, T.c.collection_id == collection_id, query)
            return s.execute(queries.count_of(stmt)).scalar_one()

    def get_texture(self, texture_id: int) -> Texture:
        me = self._me()
        with self._read() as s:
            texture_access(s, me, texture_id)
            return load_texture(s, texture_id)

    def find_texture(
        self, collection_id: int, *, original_path: str | None = None, sha256: str | None = None
    ) -> Texture | None:
        me = self._me()
        if (original_path is None) == (sha256 is None):
            raise VaultError("invalid_argument", "find a texture by original_path or by sha256, not both")
        stmt = texture_select().where(T.c.collection_id == collection_id, T.c.deleted_at.is_(None))
        if original_path is not None:
            stmt = stmt.where(T.c.original_path == original_path)
        else:
            stmt = stmt.where(V.c.blob_sha256 == sha256)
        with self._read() as s:
            collection_access(s, me, collection_id)
            row = s.execute(stmt.order_by(T.c.id).limit(1)).first()
        return to_texture(row) if row else None

    def add_texture(
        self, collection_id: int, source: Source, *, original_path: str, name: str | None = None,
        note: str = "", progress: Progress | None = None, upload_key: str | None = None,
    ) -> Texture:
        me = self._me()
        check_original_path(original_path)
        check_note(note)
        upload_key = scoped_upload_key(upload_key, me, f"collection {collection_id}")
        label = display_name(original_path, name)
        with self._read() as s:  # fail fast, before copying bytes the caller may not store
            collection_access(s, me, collection_id, "write")
            earlier = version_by_upload_key(s, upload_key)
            pixels = wants_pixels(s, collection_id)
        if earlier:
            return self.get_texture(earlier[0])
        data = ingest(self, source, label, progress, pixel_facts=pixels)
        try:
            return self._insert_texture(me, collection_id, original_path, label, data, note, upload_key)
        except VaultError as exc:
            earlier = exc.code == "conflict" and self._upload_made(upload_key)
            if not earlier:
                raise
            return self.get_texture(earlier[0])  # the same upload, retried while the first was landing

    def _insert_texture(self, me, collection_id, original_path, label, data, note, upload_key) -> Texture:
        facts = import_facts(self, [(data.sha256, data.info.format, label)], collection_id=collection_id,
                             known=facts_read([data]))
        with self.session() as s:
            collection_access(s, me, collection_id, "write")
            earlier = version_by_upload_key(s, upload_key)
            if earlier:
                return load_texture(s, earlier[0])
            free_trashed_paths(s, collection_id, [original_path])
            taken = s.execute(select(T.c.id).where(
                T.c.collection_id == collection_id, T.c.original_path == original_path)).scalar()
            if taken is not None:
                raise VaultError(
                    "conflict", f"texture {taken} already has the original path {original_path!r}; "
                    "add a version to it instead")
            when = now()
            texture_id = s.execute(insert(T).values(
                collection_id=collection_id, name=label, name_key=label.lower(),
                original_path=original_path, created_at=when, updated_at=when,
            ).returning(T.c.id)).scalar_one()
            version_id = insert_version(s, me, texture_id, 1, data, note, upload_key, when)
            qa = check_versions(self, s, collection_id, [version_id], facts=facts).get(version_id, ())
            record_added(s, me, collection_id, [(texture_id, label, 1)])
            s.execute(update(T).where(T.c.id == texture_id).values(current_version_id=version_id))
        # Everything a reload would read is known here: the rows were written from these values.
        return Texture(
            id=texture_id, collection_id=collection_id, name=label, original_path=original_path,
            created_at=when, updated_at=when, version_count=1, published_version_id=None,
            current=with_findings(data.version(version_id, texture_id, 1, note, me.username, when, True), qa),
        )

    def delete_texture(self, texture_id: int) -> None:
        me = self._me()
        with self.session() as s:
            access = texture_access(s, me, texture_id, "write")
            texture = load_texture(s, texture_id)
            move_to_trash(s, texture_id)
            record_event(
                s, me, "delete_texture",
                f"moved {texture.name!r} ({texture.version_count} versions) to the trash",
                access.collection_id, texture_id=texture_id,
            )

