"""Versions: the timeline, version N+1, making any version current, bytes, thumbnails, publish records."""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import select, update

from server_api.content.ranges import resolve_range
from server_api.content.source import Progress, Source
from server_api.content.store import THUMBNAIL, AddressedStream
from server_api.core.errors import VaultError
from server_api.imaging.colour import COLOUR_SPACES
from server_api.imaging.thumbnails import THUMB_SIDE, THUMB_SIDES
from server_api.store.entities import Texture, Version
from server_api.store.sql.access import record_added, record_event, texture_access, version_access
from server_api.store.sql.convert import T, V, now, to_version, version_select
from server_api.store.sql.ingest import facts_read, ingest
from server_api.store.sql.material_rows import snapshot_materials_of
from server_api.store.sql.qa_ops import check_versions, import_facts, wants_pixels, with_findings
from server_api.store.sql.retention_ops import apply_retention
from server_api.store.sql.rows import (
    check_note,
    check_original_path,
    insert_version,
    load_texture,
    load_version,
    next_version_number,
    not_trashed,
    scoped_upload_key,
    version_by_upload_key,
)


class VersionsMixin:
    def list_versions(self, texture_id: int) -> list[Version]:
        me = self._me()
        with self._read() as s:
            texture_access(s, me, texture_id)
            rows = s.execute(version_select().where(V.c.texture_id == texture_id, V.c.trashed_at.is_(None))
                             .order_by(V.c.number.desc()))  # the version trash is not history
            return [to_version(r) for r in rows]

    def add_version(
        self, texture_id: int, source: Source, *, note: str = "", make_current: bool = True,
        progress: Progress | None = None, upload_key: str | None = None,
    ) -> Version:
        return self._add_version(texture_id, source, note, make_current, progress, upload_key)

    def _add_version(self, texture_id, source, note, make_current, progress, upload_key,
                     material_version: bool = True) -> Version:
        """``material_version`` False: the texture's material gets no material version here (an
        import that folds all its changes into one, import_source's ``defer_material_version``)."""
        me = self._me()
        check_note(note)
        upload_key = scoped_upload_key(upload_key, me, f"texture {texture_id}")
        with self._read() as s:  # fail fast, before copying bytes the caller may not store
            access = texture_access(s, me, texture_id, "write")
            name = s.execute(select(T.c.name).where(T.c.id == texture_id)).scalar_one()
            earlier = version_by_upload_key(s, upload_key)
            pixels = wants_pixels(s, access.collection_id)
        if earlier:
            return self._version_of(texture_id, earlier)
        data = ingest(self, source, name, progress, pixel_facts=pixels)
        try:
            return self._insert_version(me, texture_id, data, note, make_current, upload_key,
                                        material_version)
        except VaultError as exc:
            earlier = exc.code == "conflict" and self._upload_made(upload_key)
            if not earlier:
                raise
            return self._version_of(texture_id, earlier)  # the same upload, retried while the first landed

    def _insert_version(self, me, texture_id, data, note, make_current, upload_key,
                        material_version: bool = True) -> Version:
        facts = import_facts(self, [(data.sha256, data.info.format, str(texture_id))], texture_id=texture_id,
                             known=facts_read([data]))
        # Only this short block serializes between writers; the heavy work before it runs in parallel.
        with self.session() as s:
            access = texture_access(s, me, texture_id, "write")
            earlier = version_by_upload_key(s, upload_key)
            if earlier:
                return self._version_of(texture_id, earlier, s)
            when = now()
            number = next_version_number(s, texture_id)
            version_id = insert_version(s, me, texture_id, number, data, note, upload_key, when)
            qa = check_versions(self, s, access.collection_id, [version_id], facts=facts).get(version_id, ())
            name = s.execute(select(T.c.name).where(T.c.id == texture_id)).scalar_one()
            record_added(s, me, access.collection_id, [(texture_id, name, number)])
            if make_current:
                s.execute(update(T).where(T.c.id == texture_id).values(
                    current_version_id=version_id, updated_at=when))
                if material_version:
                    snapshot_materials_of(s, me, [texture_id])  # its material gets one version
            apply_retention(s, me, access, [texture_id])  # nothing without a policy
        made = data.version(version_id, texture_id, number, note, me.username, when, make_current)
        return with_findings(made, qa)

    def _version_of(self, texture_id: int, earlier: tuple[int, int], s=None) -> Version:
        # Keys are scoped to (user, texture): what one finds is always a version of this texture.
        if s is not None:
            return load_version(s, earlier[1])
        with self._read() as s:
            return load_version(s, earlier[1])

    def set_current_version(self, texture_id: int, version_id: int) -> Texture:
        me = self._me()
        with self.session() as s:
            access = texture_access(s, me, texture_id, "write")
            version = not_trashed(load_version(s, version_id, texture_id), "made current")
            texture = load_texture(s, texture_id)
            if texture.current.id != version.id:
                s.execute(update(T).where(T.c.id == texture_id).values(
                    current_version_id=version.id, updated_at=now()))
                record_event(s, me, "set_current", f"made v{version.number} of {texture.name!r} current",
                             access.collection_id, texture_id, version.id)
                snapshot_materials_of(s, me, [texture_id])
            return load_texture(s, texture_id)

    def open_version(self, version_id: int, *, start: int = 0, length: int | None = None) -> BinaryIO:
        me = self._me()
        with self._read() as s:
            version_access(s, me, version_id)
            version = load_version(s, version_id)
        # The ETag, size and range come from the row, never from where the bytes are kept.
        offset, count = resolve_range(start, length, version.byte_size, f"version {version_id}")
        try:
            if (offset, count) == (0, version.byte_size):
                stream = self.content.open(version.sha256)
            else:
                stream = self.content.open_range(version.sha256, offset, count)
        except VaultError as exc:
            if exc.code != "not_found":
                raise
            raise VaultError("internal", f"the bytes of version {version_id} are missing from the vault; "
                             "run fsck") from None
        return AddressedStream(stream, version.sha256, version.byte_size,  # type: ignore[return-value]
                               offset, count)

    def version_thumbnail(self, version_id: int, side: int = THUMB_SIDE) -> bytes:
        me = self._me()
        if side not in THUMB_SIDES:
            raise VaultError("invalid_argument", f"a thumbnail is {' or '.join(map(str, THUMB_SIDES))} px, "
                                                 f"not {side!r}")
        with self._read() as s:
            version_access(s, me, version_id)
            version = load_version(s, version_id)
        if max(version.width, version.height) <= THUMB_SIDE:
            side = THUMB_SIDE  # nothing more to show than the thumbnail already does
        stored_as = None if side == THUMB_SIDE else side
        params = "" if stored_as is None else str(stored_as)
        found = self.content.get_derived(version.sha256, THUMBNAIL, params)
        if found is not None:
            return found[0]
        # Thumbnails are a cache (and previews are made on first request): make it from the bytes.
        from server_api import imaging

        try:
            with self.content.local_file(version.sha256) as path:
                thumb = imaging.make_thumbnail(path, max_side=side, name=f"version {version_id}")
        except VaultError as exc:
            if exc.code != "not_found":
                raise
            raise VaultError("internal", f"the bytes of version {version_id} are missing from the "
                             "vault") from None
        self.content.put_derived(version.sha256, THUMBNAIL, thumb.data, thumb.format, params)
        return thumb.data

    def record_publish(self, texture_id: int, version_id: int, path: str) -> Version:
        me = self._me()
        check_original_path(path)
        with self.session() as s:
            access = texture_access(s, me, texture_id, "write")
            version = not_trashed(load_version(s, version_id, texture_id), "published")
            when = now()
            s.execute(update(V).where(V.c.id == version.id).values(published_at=when))
            s.execute(update(T).where(T.c.id == texture_id).values(published_version_id=version.id))
            name = load_texture(s, texture_id).name
            record_event(s, me, "publish", f"published v{version.number} of {name!r} to {path}",
                         access.collection_id, texture_id, version.id)
            return load_version(s, version.id)

    def set_colour_space(self, version_id: int, colour_space: str) -> Version:
        if colour_space not in COLOUR_SPACES:
            raise VaultError("invalid_argument", f"colour space {str(colour_space)[:40]!r} must be one of "
                             f"{', '.join(COLOUR_SPACES)}")
        me = self._me()
        with self._read() as s:  # the QA check again needs its pixels, decoded outside the transaction
            access, texture_id = version_access(s, me, version_id, "write")
            version = load_version(s, version_id)
        facts = import_facts(self, [(version.sha256, version.format, str(version_id))],
                             collection_id=access.collection_id)
        with self.session() as s:
            access, texture_id = version_access(s, me, version_id, "write")
            version = load_version(s, version_id)
            s.execute(update(V).where(V.c.id == version.id).values(colour_space=colour_space))
            check_versions(self, s, access.collection_id, [version.id], facts=facts)  # colour-space rules
            name = load_texture(s, texture_id).name
            record_event(s, me, "colour_space", f"set v{version.number} of {name!r} to {colour_space}",
                         access.collection_id, texture_id, version.id)
            return load_version(s, version.id)
