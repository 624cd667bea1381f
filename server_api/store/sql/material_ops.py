"""Materials on the SQL store: list, show, create, rename, maps (add / role / remove), split, merge,
delete, material versions, set-current, and applying the import's grouping. Each call is one
transaction and makes at most one material version per material (material_rows.snapshot)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

from sqlalchemy import delete, select, tuple_, update

from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.store.entities import Page
from server_api.store.limits import MAX_MATERIAL_MAPS, MAX_MATERIAL_PAGE
from server_api.store.material_entities import MapSpec, Material, MaterialVersion
from server_api.store.sql.access import collection_access, record_event
from server_api.store.sql.convert import T, now
from server_api.store.sql.material_rows import (
    MG,
    MM,
    M,
    check_free,
    check_ids,
    check_material_name,
    check_spec,
    check_specs,
    count_maps,
    hold,
    load_material,
    load_versions,
    material_access,
    material_select,
    new_material,
    put_maps,
    snapshot,
    textures_of_collection,
    to_materials,
)


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
            stmt = stmt.where(tuple_(M.c.name_key, M.c.id) > tuple_(key, last_id))  # one index range
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
                s, me, "material_create", f"made material {name!r} of {counted(len(specs), 'map')}",
                collection_id, material_id=material_id,
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
                s, me, "material_rename", f"renamed material {old!r} to {name!r}", access.collection_id,
                material_id=material_id,
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
                material_id=material_id,
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
                material_id=new_id,
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
            if len(moving) + count_maps(s, material_id) > MAX_MATERIAL_MAPS:
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


def _changed(s, me, material_id: int, collection_id: int, what: str, action: str = "material_maps") -> None:
    """The event for a change of the maps, and the material version it makes."""
    name = s.execute(select(M.c.name).where(M.c.id == material_id)).scalar_one()
    number = snapshot(s, me, material_id)
    suffix = f" (now v{number})" if number is not None else ""
    record_event(s, me, action, f"{what} material {name!r}{suffix}"[:2000], collection_id,
                 material_id=material_id)


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
