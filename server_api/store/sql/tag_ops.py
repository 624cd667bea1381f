"""Tags (SQL face): the vault-wide vocabulary, tagging many textures at once, cross-collection search."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, literal, or_, select, update

from server_api.core.errors import VaultError
from server_api.store.entities import Page, Texture, TextureQuery
from server_api.store.query import parse
from server_api.store.sql import queries
from server_api.store.sql.access import C, P, record_event, require_server_admin, texture_access
from server_api.store.sql.convert import T, now, texture_select, to_texture
from server_api.store.sql.models import SmartCollectionRow
from server_api.store.sql.query_sql import ALIAS, TAG, TT
from server_api.store.tag_api import Found, SmartCollection, Tag

MAX_TAG = 200
SC = SmartCollectionRow.__table__
CHUNK = 5000  # ids per IN (...) list


def tag_name(value) -> str:
    """A tag name as typed, trimmed; refused when empty, too long, or holding ',' or control chars."""
    if not isinstance(value, str) or not value.strip():
        raise VaultError("invalid_argument", f"a tag name must be non-empty text, not {value!r}")
    name = value.strip()
    if len(name) > MAX_TAG or any(ord(c) < 32 for c in name) or "," in name:
        raise VaultError("invalid_argument",
                         f"bad tag name {name[:40]!r}: at most {MAX_TAG} characters, "
                         "no commas or control characters")
    return name


def with_tags(s, textures: Sequence[Texture]) -> tuple[Texture, ...]:
    """The textures with their tags, in one query for the page (tag chips on tiles)."""
    names: dict[int, list[str]] = {t.id: [] for t in textures}
    ids = list(names)
    for start in range(0, len(ids), CHUNK):
        rows = s.execute(select(TT.c.texture_id, TAG.c.name).join(TAG, TAG.c.id == TT.c.tag_id)
                         .where(TT.c.texture_id.in_(ids[start:start + CHUNK])).order_by(TAG.c.name_key))
        for row in rows:
            names[row.texture_id].append(row.name)
    return tuple(dataclasses.replace(t, tags=tuple(names[t.id])) if names[t.id] else t for t in textures)


def readable(me):
    """The ids of the collections ``me`` can read (a server admin reads all)."""
    if me.is_admin:
        return select(C.c.id)
    granted = select(P.c.collection_id).where(P.c.user_id == me.id)
    return select(C.c.id).where(or_(C.c.owner_id == me.id, C.c.id.in_(granted)))


class TagsMixin:
    def list_tags(self) -> list[Tag]:
        me = self._me()
        with self._read() as s:
            return _tags(s, me)

    def texture_tags(self, texture_id: int) -> list[str]:
        me = self._me()
        with self._read() as s:
            texture_access(s, me, texture_id)
            rows = s.execute(select(TAG.c.name).join(TT, TT.c.tag_id == TAG.c.id)
                             .where(TT.c.texture_id == texture_id).order_by(TAG.c.name_key))
            return [r.name for r in rows]

    def tag_textures(self, texture_ids: Sequence[int], *, add: Sequence[str] = (),
                     remove: Sequence[str] = ()) -> None:
        me = self._me()
        ids = sorted(set(_ids(texture_ids)))
        adding, removing = [tag_name(n) for n in add], [tag_name(n) for n in remove]
        with self.session() as s:
            by_collection = _writable_by_collection(s, me, ids)
            add_ids = [_tag_id(s, n, create=True) for n in adding]
            remove_ids = [i for i in (_tag_id(s, n, create=False) for n in removing) if i is not None]
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                if remove_ids:
                    s.execute(delete(TT).where(TT.c.texture_id.in_(chunk), TT.c.tag_id.in_(remove_ids)))
                for tag_id in dict.fromkeys(add_ids):
                    have = set(s.execute(select(TT.c.texture_id).where(
                        TT.c.tag_id == tag_id, TT.c.texture_id.in_(chunk))).scalars())
                    rows = [{"texture_id": t, "tag_id": tag_id} for t in chunk if t not in have]
                    if rows:
                        s.execute(insert(TT), rows)
            for collection_id, members in by_collection.items():
                said = []
                if adding:
                    said.append("tagged " + ", ".join(adding))
                if removing:
                    said.append("untagged " + ", ".join(removing))
                detail = f"{'; '.join(said)} on {len(members)} texture{'s' if len(members) != 1 else ''}"
                record_event(s, me, "tag", detail, collection_id,
                             texture_id=members[0] if len(members) == 1 else None)

    def rename_tag(self, name: str, new_name: str) -> Tag:
        me = self._me()
        require_server_admin(me, "rename tags")
        new_name = tag_name(new_name)
        with self.session() as s:
            tag_id = _existing(s, name)
            other = _tag_id(s, new_name, create=False)
            if other is not None and other != tag_id:
                raise VaultError("conflict", f"a tag {new_name!r} exists: merge into it instead")
            s.execute(update(TAG).where(TAG.c.id == tag_id).values(name=new_name, name_key=new_name.lower()))
            record_event(s, me, "rename_tag", f"renamed tag {name!r} to {new_name!r}", None)
            return _one(s, me, tag_id)

    def merge_tags(self, name: str, into: str) -> Tag:
        me = self._me()
        require_server_admin(me, "merge tags")
        with self.session() as s:
            source, target = _existing(s, name), _existing(s, into)
            if source == target:
                raise VaultError("invalid_argument", f"{name!r} and {into!r} are the same tag")
            have = select(TT.c.texture_id).where(TT.c.tag_id == target)
            s.execute(insert(TT).from_select(["texture_id", "tag_id"], select(
                TT.c.texture_id, literal(target, TT.c.tag_id.type)).where(
                TT.c.tag_id == source, TT.c.texture_id.not_in(have))))
            s.execute(update(TAG).where(TAG.c.parent_id == source).values(parent_id=target))
            s.execute(update(ALIAS).where(ALIAS.c.tag_id == source).values(tag_id=target))
            old_key = s.execute(select(TAG.c.name_key).where(TAG.c.id == source)).scalar_one()
            s.execute(delete(TAG).where(TAG.c.id == source))
            s.execute(insert(ALIAS).values(name_key=old_key, tag_id=target))
            record_event(s, me, "merge_tag", f"merged tag {name!r} into {into!r}", None)
            return _one(s, me, target)

    def set_tag_parent(self, name: str, parent: str | None) -> Tag:
        me = self._me()
        require_server_admin(me, "arrange tags")
        with self.session() as s:
            tag_id = _existing(s, name)
            parent_id = None if parent is None else _existing(s, parent)
            walk = parent_id
            while walk is not None:  # the new parent must not sit below the tag
                if walk == tag_id:
                    raise VaultError("invalid_argument", f"{parent!r} is {name!r} or below it: a loop")
                walk = s.execute(select(TAG.c.parent_id).where(TAG.c.id == walk)).scalar()
            s.execute(update(TAG).where(TAG.c.id == tag_id).values(parent_id=parent_id))
            record_event(s, me, "tag_parent", f"put tag {name!r} under {parent!r}", None)
            return _one(s, me, tag_id)

    def add_tag_alias(self, alias: str, name: str) -> Tag:
        me = self._me()
        require_server_admin(me, "add tag aliases")
        alias = tag_name(alias)
        with self.session() as s:
            tag_id = _existing(s, name)
            taken = _tag_id(s, alias, create=False)
            if taken is not None:
                raise VaultError("conflict", f"{alias!r} already names a tag")
            s.execute(insert(ALIAS).values(name_key=alias.lower(), tag_id=tag_id))
            record_event(s, me, "tag_alias", f"{alias!r} now means tag {name!r}", None)
            return _one(s, me, tag_id)

    def search_textures(self, query: TextureQuery = TextureQuery(), *, limit: int = 200,
                        cursor: str | None = None) -> Page[Found]:
        me = self._me()
        queries.check_query(query)
        stmt = texture_select().add_columns(C.c.name.label("collection_name")).join(
            C, C.c.id == T.c.collection_id)
        with self._read() as s:
            # "+ 0" keeps SQLite off the per-collection index: walking the global (name_key, id)
            # index in page order and filtering is what keeps a page cheap (measured: search_bench).
            rows, next_cursor, distances = queries.page(s, stmt, (T.c.collection_id + 0).in_(readable(me)),
                                                        query, limit, cursor)
            textures = with_tags(s, [to_texture(r, distances.get(r.id)) for r in rows])
        items = tuple(Found(t, r.collection_name) for t, r in zip(textures, rows, strict=True))
        return Page(items=items, next=next_cursor)


    def list_smart_collections(self) -> list[SmartCollection]:
        me = self._me()
        with self._read() as s:
            rows = s.execute(select(SC.c.id, SC.c.name, SC.c.query).where(SC.c.user_id == me.id)
                             .order_by(func.lower(SC.c.name), SC.c.id)).all()
            return [SmartCollection(r.id, r.name, r.query, _count(s, me, r.query)) for r in rows]

    def save_smart_collection(self, name: str, query: str) -> SmartCollection:
        me = self._me()
        name = tag_name(name)  # the same rule: short, printable, no commas
        parse(query)
        with self.session() as s:
            s.execute(delete(SC).where(SC.c.user_id == me.id, SC.c.name == name))
            smart_id = s.execute(insert(SC).values(user_id=me.id, name=name, query=query, created_at=now())
                                 .returning(SC.c.id)).scalar_one()
            return SmartCollection(smart_id, name, query, _count(s, me, query))

    def delete_smart_collection(self, smart_id: int) -> None:
        me = self._me()
        if isinstance(smart_id, bool) or not isinstance(smart_id, int):
            raise VaultError("invalid_argument", f"a smart collection id is a whole number, not {smart_id!r}")
        if not queries.fits_column(smart_id):
            raise VaultError("not_found", f"smart collection {smart_id} not found")
        with self.session() as s:
            gone = s.execute(delete(SC).where(SC.c.id == smart_id, SC.c.user_id == me.id)).rowcount
        if not gone:
            raise VaultError("not_found", f"smart collection {smart_id} not found")


def _count(s, me, text: str) -> int:
    stmt = queries.filtered(texture_select(), s, T.c.collection_id.in_(readable(me)), TextureQuery(text=text))
    return s.execute(queries.count_of(stmt)).scalar_one()


def _writable_by_collection(s, me, ids: list[int]) -> dict[int, list[int]]:
    """The textures grouped by collection, checked once per collection (a 100,000-texture selection
    is a few queries, not 100,000): write level on each, "not_found" for any unseen or trashed."""
    by_collection: dict[int, list[int]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = s.execute(select(T.c.id, T.c.collection_id).where(
            T.c.id.in_(chunk), T.c.deleted_at.is_(None))).all()
        missing = set(chunk) - {r.id for r in rows}
        if missing:
            raise VaultError("not_found", f"texture {min(missing)} not found")
        for row in rows:
            by_collection.setdefault(row.collection_id, []).append(row.id)
    for members in by_collection.values():
        texture_access(s, me, members[0], "write")  # names the texture when the caller cannot see it
    return by_collection


def _ids(values) -> list[int]:
    if isinstance(values, str | bytes) or not all(
            isinstance(v, int) and not isinstance(v, bool) and queries.fits_column(v) for v in values):
        raise VaultError("invalid_argument", f"texture ids must be whole numbers, not {values!r}")
    return list(values)


def _tag_id(s, name: str, *, create: bool) -> int | None:
    """The tag called or aliased ``name``; made when ``create`` and unknown."""
    key = tag_name(name).lower()
    found = s.execute(select(TAG.c.id).where(TAG.c.name_key == key)).scalar()
    if found is None:
        found = s.execute(select(ALIAS.c.tag_id).where(ALIAS.c.name_key == key)).scalar()
    if found is None and create:
        found = s.execute(insert(TAG).values(name=tag_name(name), name_key=key, created_at=now())
                          .returning(TAG.c.id)).scalar_one()
    return found


def _existing(s, name: str) -> int:
    found = _tag_id(s, name, create=False)
    if found is None:
        raise VaultError("not_found", f"no tag named {name!r}")
    return found


def _tags(s, me, only: int | None = None) -> list[Tag]:
    parent = TAG.alias("parent_tag")
    stmt = (select(TAG.c.id, TAG.c.name, parent.c.name.label("parent"))
            .outerjoin(parent, parent.c.id == TAG.c.parent_id).order_by(TAG.c.name_key))
    counted = (select(TT.c.tag_id, func.count().label("n")).join(T, T.c.id == TT.c.texture_id)
               .where(T.c.collection_id.in_(readable(me)), T.c.deleted_at.is_(None)))
    if only is not None:
        stmt, counted = stmt.where(TAG.c.id == only), counted.where(TT.c.tag_id == only)
    counts = dict(s.execute(counted.group_by(TT.c.tag_id)).all())  # one pass, not one per tag
    aliases: dict[int, list[str]] = {}
    for tag_id, key in s.execute(select(ALIAS.c.tag_id, ALIAS.c.name_key).order_by(ALIAS.c.name_key)):
        aliases.setdefault(tag_id, []).append(key)
    return [Tag(r.id, r.name, r.parent, tuple(aliases.get(r.id, ())), counts.get(r.id, 0))
            for r in s.execute(stmt)]


def _one(s, me, tag_id: int) -> Tag:
    return _tags(s, me, tag_id)[0]
