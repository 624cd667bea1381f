"""Materials on the SQL store: list, show, create, rename, maps (add / role / remove), split, merge,
delete, material versions, set-current, and applying the import's grouping. Each call is one
transaction and makes at most one material version per material (material_rows.snapshot)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence

from sqlalchemy import and_, delete, insert, or_, select, update

from server_api.core.errors import VaultError
from server_api.store.entities import Page
from server_api.store.material_entities import (
    MAX_MATERIAL_MAPS,
    MAX_MATERIAL_PAGE,
    MapSpec,
    Material,
    MaterialGroup,
    MaterialVersion,
)
from server_api.store.sql.access import collection_access, record_event
from server_api.store.sql.convert import T, V, now
from server_api.store.sql.material_rows import (
    MG,
    MH,
    MM,
    MV,
    MVM,
    M,
    check_free,
    check_ids,
    check_material_name,
    check_spec,
    check_specs,
    hold,
    load_material,
    load_versions,
    material_access,
    material_select,
    new_material,
    put_maps,
    snapshot,
    snapshot_materials_of,
    textures_of_collection,
    to_materials,
)

MAX_GROUPS = 10_000  # one import's folders' worth of proposals


class MaterialsMixin:
    # ---- reading ------------------------------------------------------------------------------
    def list_materials(
        self, collection_id: int, *, limit: int = 200, cursor: str | None = None
    ) -> Page[Material]:
        me = self._me()
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_MATERIAL_PAGE:
            raise VaultError("invalid_argument", f"limit must be 1-{MAX_MATERIAL_PAGE}, not {limit!r}")
        stmt = material_select().where(M.c.collection_id == collection_id)
        if cursor is not None:
            key, last_id = _decode_cursor(cursor)
            stmt = stmt.where(or_(M.c.name_key > key, and_(M.c.name_key == key, M.c.id > last_id)))
        with self._read() as s:
            collection_access(s, me, collection_id)
            rows = s.execute(stmt.order_by(M.c.name_key, M.c.id).limit(limit + 1)).all()
            items = to_materials(s, rows[:limit])
        last = rows[limit - 1] if len(rows) > limit else None
        return Page(items=tuple(items), next=_encode_cursor(last.name_key, last.id) if last else None)

    def get_material(self, material_id: int) -> Material:
        me = self._me()
        with self._read() as s:
            material_access(s, me, material_id)
            return load_material(s, material_id)

    def list_material_versions(self, material_id: int) -> list[MaterialVersion]:
        me = self._me()
        with self._read() as s:
            material_access(s, me, material_id)
            return load_versions(s, material_id)

    # ---- making and naming --------------------------------------------------------------------
    def create_material(self, collection_id: int, name: str, maps: Sequence[MapSpec]) -> Material:
        me = self._me()
        name = check_material_name(name)
        specs = check_specs(maps)
        with self.session() as s:
            collection_access(s, me, collection_id, "write")
            names = textures_of_collection(s, collection_id, [m.texture_id for m in specs])
            check_free(s, names, names)
            material_id = new_material(s, collection_id, name)
            put_maps(s, material_id, specs)
            snapshot(s, me, material_id)
            record_event(
                s, me, "material_create", f"made material {name!r} of {len(specs)} maps", collection_id
            )
            return load_material(s, material_id)

    def rename_material(self, material_id: int, name: str) -> Material:
        me = self._me()
        name = check_material_name(name)
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            old = s.execute(select(M.c.name).where(M.c.id == material_id)).scalar_one()
            s.execute(
                update(M)
                .where(M.c.id == material_id)
                .values(name=name, name_key=name.lower(), updated_at=now())
            )
            record_event(
                s, me, "material_rename", f"renamed material {old!r} to {name!r}", access.collection_id
            )
            return load_material(s, material_id)

    def delete_material(self, material_id: int) -> None:
        me = self._me()
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            name = s.execute(select(M.c.name).where(M.c.id == material_id)).scalar_one()
            hold(s, s.execute(select(MM.c.texture_id).where(MM.c.material_id == material_id)).scalars().all())
            s.execute(update(M).where(M.c.id == material_id).values(current_version_id=None))
            s.execute(delete(M).where(M.c.id == material_id))
            record_event(
                s,
                me,
                "material_delete",
                f"deleted material {name!r} (its maps stay as textures)",
                access.collection_id,
            )

    # ---- maps ---------------------------------------------------------------------------------
    def add_material_maps(self, material_id: int, maps: Sequence[MapSpec]) -> Material:
        me = self._me()
        specs = check_specs(maps)
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            names = textures_of_collection(s, access.collection_id, [m.texture_id for m in specs])
            check_free(s, names, names, but=material_id)
            put_maps(s, material_id, specs)
            _changed(
                s,
                me,
                material_id,
                access.collection_id,
                "put " + ", ".join(f"{names[m.texture_id]!r} as {m.role}" for m in specs) + " in",
            )
            return load_material(s, material_id)

    def set_map_role(
        self, material_id: int, texture_id: int, role: str, normal_convention: str | None = None
    ) -> Material:
        me = self._me()
        spec = check_spec(MapSpec(texture_id, role, normal_convention))
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            _maps_in(s, material_id, [texture_id])
            put_maps(s, material_id, [spec])
            label = role + (f" ({normal_convention})" if normal_convention else "")
            name = s.execute(select(T.c.name).where(T.c.id == texture_id)).scalar_one()
            _changed(s, me, material_id, access.collection_id, f"made {name!r} the {label} map of")
            return load_material(s, material_id)

    def remove_material_maps(self, material_id: int, texture_ids: Sequence[int]) -> Material:
        me = self._me()
        ids = check_ids(texture_ids)
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            _maps_in(s, material_id, ids)
            s.execute(delete(MM).where(MM.c.texture_id.in_(ids)))
            hold(s, ids)
            _changed(s, me, material_id, access.collection_id, f"took {len(ids)} maps out of")
            return load_material(s, material_id)

    def split_material(self, material_id: int, texture_ids: Sequence[int], name: str) -> Material:
        me = self._me()
        ids = check_ids(texture_ids)
        name = check_material_name(name)
        if not ids:
            raise VaultError("invalid_argument", "name the maps that go into the new material")
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            _maps_in(s, material_id, ids)
            new_id = new_material(s, access.collection_id, name)
            s.execute(update(MM).where(MM.c.texture_id.in_(ids)).values(material_id=new_id))
            snapshot(s, me, material_id)
            snapshot(s, me, new_id)
            old = s.execute(select(M.c.name).where(M.c.id == material_id)).scalar_one()
            record_event(
                s,
                me,
                "material_split",
                f"split {len(ids)} maps of material {old!r} into {name!r}",
                access.collection_id,
            )
            return load_material(s, new_id)

    def merge_materials(self, material_id: int, other_id: int) -> Material:
        me = self._me()
        if material_id == other_id:
            raise VaultError("invalid_argument", "a material cannot be merged into itself")
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            other = material_access(s, me, other_id, "write")
            if other.collection_id != access.collection_id:
                raise VaultError("invalid_argument", "only materials of the same collection can be merged")
            moving = s.execute(select(MM.c.texture_id).where(MM.c.material_id == other_id)).scalars().all()
            if len(moving) + _count_maps(s, material_id) > MAX_MATERIAL_MAPS:
                raise VaultError("invalid_argument", f"a material holds at most {MAX_MATERIAL_MAPS} maps")
            s.execute(update(MM).where(MM.c.material_id == other_id).values(material_id=material_id))
            s.execute(update(MG).where(MG.c.material_id == other_id).values(material_id=material_id))
            other_name = s.execute(select(M.c.name).where(M.c.id == other_id)).scalar_one()
            s.execute(update(M).where(M.c.id == other_id).values(current_version_id=None))
            s.execute(delete(M).where(M.c.id == other_id))
            _changed(
                s,
                me,
                material_id,
                access.collection_id,
                f"merged material {other_name!r} into",
                action="material_merge",
            )
            return load_material(s, material_id)

    # ---- versions -----------------------------------------------------------------------------
    def set_current_material_version(self, material_id: int, number: int) -> Material:
        me = self._me()
        if isinstance(number, bool) or not isinstance(number, int):
            raise VaultError("invalid_argument", f"a material version number is an integer, not {number!r}")
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            version_id = s.execute(
                select(MV.c.id).where(MV.c.material_id == material_id, MV.c.number == number)
            ).scalar()
            if version_id is None:
                raise VaultError("not_found", f"material {material_id} has no version {number}")
            when = now()
            for row in s.execute(
                select(MVM)
                .join(MM, and_(MM.c.texture_id == MVM.c.texture_id, MM.c.material_id == material_id))
                .where(MVM.c.material_version_id == version_id)
            ).all():
                s.execute(
                    update(T)
                    .where(T.c.id == row.texture_id, T.c.current_version_id != row.version_id)
                    .values(current_version_id=row.version_id, updated_at=when)
                )
                s.execute(
                    update(MM)
                    .where(MM.c.texture_id == row.texture_id)
                    .values(role=row.role, normal_convention=row.normal_convention)
                )
            s.execute(
                update(M).where(M.c.id == material_id).values(current_version_id=version_id, updated_at=when)
            )
            snapshot(s, me, material_id)  # only when maps added since then make it differ
            name = s.execute(select(M.c.name).where(M.c.id == material_id)).scalar_one()
            record_event(
                s,
                me,
                "material_set_current",
                f"made v{number} of material {name!r} current",
                access.collection_id,
            )
            return load_material(s, material_id)

    def set_material_maps_current(
        self, material_id: int, version_ids: Sequence[int], note: str = ""
    ) -> Material:
        me = self._me()
        ids = check_ids(version_ids, "version")
        if not isinstance(note, str) or len(note) > 10_000:
            raise VaultError("invalid_argument", "a note must be text of at most 10000 characters")
        with self.session() as s:
            access = material_access(s, me, material_id, "write")
            rows = s.execute(
                select(V.c.id, V.c.texture_id)
                .join(MM, MM.c.texture_id == V.c.texture_id)
                .where(V.c.id.in_(ids), MM.c.material_id == material_id)
            ).all()
            found = {r.id: r.texture_id for r in rows}
            missing = [i for i in ids if i not in found]
            if missing:
                raise VaultError(
                    "not_found", f"version {missing[0]} is not a version of a map of this material"
                )
            if len(set(found.values())) != len(found):
                raise VaultError("invalid_argument", "two versions of the same map were given")
            when = now()
            for version_id, texture_id in found.items():
                s.execute(
                    update(T)
                    .where(T.c.id == texture_id)
                    .values(current_version_id=version_id, updated_at=when)
                )
            number = snapshot(s, me, material_id, note)
            if number is not None:
                name = s.execute(select(M.c.name).where(M.c.id == material_id)).scalar_one()
                record_event(
                    s,
                    me,
                    "material_version",
                    f"material {name!r} is now at v{number} ({len(found)} maps changed)",
                    access.collection_id,
                )
            return load_material(s, material_id)

    # ---- grouping on import -------------------------------------------------------------------
    def group_textures(
        self, collection_id: int, groups: Sequence[MaterialGroup], changed_texture_ids: Sequence[int] = ()
    ) -> list[Material]:
        me = self._me()
        groups = _check_groups(groups)
        changed = list(changed_texture_ids)
        if any(isinstance(i, bool) or not isinstance(i, int) for i in changed):
            raise VaultError("invalid_argument", "changed texture ids must be integers")
        touched: list[int] = []
        with self.session() as s:
            collection_access(s, me, collection_id, "write")
            for group in groups:
                material_id = _apply_group(s, me, collection_id, group)
                if material_id is not None and material_id not in touched:
                    touched.append(material_id)
            for start in range(0, len(changed), 500):
                chunk = changed[start : start + 500]
                touched.extend(
                    i
                    for i in s.execute(
                        select(MM.c.material_id).where(MM.c.texture_id.in_(chunk)).distinct()
                    ).scalars()
                    if i not in touched
                )
                snapshot_materials_of(s, me, chunk)
            rows = s.execute(material_select().where(M.c.id.in_(touched))).all() if touched else []
            by_id = {m.id: m for m in to_materials(s, rows)}
            return [by_id[i] for i in touched if i in by_id]


def _apply_group(s, me, collection_id: int, group: MaterialGroup) -> int | None:
    """Put a proposal's free textures into its material (found by key) or a new one. Its id, or None."""
    roles = {m.original_path: m for m in group.maps}
    textures = dict(
        s.execute(
            select(T.c.original_path, T.c.id).where(
                T.c.collection_id == collection_id,
                T.c.deleted_at.is_(None),
                T.c.original_path.in_(list(roles)),
            )
        ).all()
    )
    taken = set(
        s.execute(select(MM.c.texture_id).where(MM.c.texture_id.in_(list(textures.values())))).scalars()
    )
    taken |= set(
        s.execute(select(MH.c.texture_id).where(MH.c.texture_id.in_(list(textures.values())))).scalars()
    )
    free = [
        MapSpec(textures[path], m.role, m.normal_convention)
        for path, m in roles.items()
        if path in textures and textures[path] not in taken
    ]
    key_hash = hashlib.sha256(group.key.encode()).hexdigest()
    material_id = s.execute(
        select(MG.c.material_id).where(MG.c.collection_id == collection_id, MG.c.key_hash == key_hash)
    ).scalar()
    if material_id is None:
        if len(free) < 2:
            return None  # one file is no set: it stays a plain texture
        material_id = new_material(s, collection_id, check_material_name(group.name))
        s.execute(insert(MG).values(collection_id=collection_id, key_hash=key_hash, material_id=material_id))
        record_event(
            s,
            me,
            "material_create",
            f"grouped {len(free)} maps as material {group.name!r}: {group.why}"[:2000],
            collection_id,
        )
    elif not free:
        return None
    elif _count_maps(s, material_id) + len(free) > MAX_MATERIAL_MAPS:
        return None
    put_maps(s, material_id, free)
    snapshot(s, me, material_id)
    return material_id


def _check_groups(groups: Sequence[MaterialGroup]) -> list[MaterialGroup]:
    groups = list(groups)
    if len(groups) > MAX_GROUPS:
        raise VaultError("invalid_argument", f"at most {MAX_GROUPS} groups at once")
    for group in groups:
        if not isinstance(group, MaterialGroup) or not isinstance(group.key, str) or not group.key:
            raise VaultError("invalid_argument", f"not a grouping proposal: {str(group)[:120]}")
        if len(group.maps) > MAX_MATERIAL_MAPS:
            raise VaultError(
                "invalid_argument", f"group {group.name!r} has more than {MAX_MATERIAL_MAPS} maps"
            )
        check_material_name(group.name)
        for m in group.maps:
            check_spec(MapSpec(0, m.role, m.normal_convention))
    return groups


def _maps_in(s, material_id: int, texture_ids: Sequence[int]) -> None:
    inside = set(
        s.execute(
            select(MM.c.texture_id).where(
                MM.c.material_id == material_id, MM.c.texture_id.in_(list(texture_ids))
            )
        ).scalars()
    )
    missing = [i for i in texture_ids if i not in inside]
    if missing:
        raise VaultError("not_found", f"texture {missing[0]} is not a map of material {material_id}")


def _count_maps(s, material_id: int) -> int:
    return len(s.execute(select(MM.c.texture_id).where(MM.c.material_id == material_id)).all())


def _changed(s, me, material_id: int, collection_id: int, what: str, action: str = "material_maps") -> None:
    """The event for a change of the maps, and the material version it makes."""
    name = s.execute(select(M.c.name).where(M.c.id == material_id)).scalar_one()
    number = snapshot(s, me, material_id)
    suffix = f" (now v{number})" if number is not None else ""
    record_event(s, me, action, f"{what} material {name!r}{suffix}"[:2000], collection_id)


def _encode_cursor(name_key: str, material_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([name_key, material_id]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        key, last_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if isinstance(key, str) and isinstance(last_id, int) and not isinstance(last_id, bool):
            return key, last_id
    except (ValueError, TypeError, binascii.Error, AttributeError):
        pass
    raise VaultError("invalid_argument", "that cursor is not one this store made")
