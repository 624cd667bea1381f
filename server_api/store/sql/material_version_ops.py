"""Material versions on the SQL store: set-current (every map follows), several maps made current in
one operation, and applying the import's grouping. Each call makes at most one version per material."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import and_, insert, select, update

from server_api.core.errors import VaultError
from server_api.store.limits import MAX_MATERIAL_MAPS
from server_api.store.material_entities import MapSpec, Material, MaterialGroup
from server_api.store.sql.access import collection_access, record_event
from server_api.store.sql.convert import T, V, now
from server_api.store.sql.material_rows import (
    MG,
    MH,
    MM,
    MV,
    MVM,
    M,
    check_ids,
    check_material_name,
    check_spec,
    count_maps,
    load_material,
    material_access,
    material_select,
    new_material,
    put_maps,
    snapshot,
    snapshot_materials_of,
    to_materials,
)
from server_api.store.sql.retention_ops import refuse_trashed

MAX_GROUPS = 10_000  # one import's folders' worth of proposals


class MaterialVersionsMixin:
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
            maps = s.execute(
                select(MVM)
                .join(MM, and_(MM.c.texture_id == MVM.c.texture_id, MM.c.material_id == material_id))
                .where(MVM.c.material_version_id == version_id)
            ).all()
            refuse_trashed(s, [row.version_id for row in maps], "made current")  # retention
            for row in maps:
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
                material_id=material_id,
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
            refuse_trashed(s, found, "made current")  # retention: restore it first
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
                    material_id=material_id,
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
            material_id=material_id,
        )
    elif not free:
        return None
    elif count_maps(s, material_id) + len(free) > MAX_MATERIAL_MAPS:
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
