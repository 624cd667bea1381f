"""Material rows: loading materials as entities, checking arguments, and the one snapshot rule
(a material version is made when, and only when, the maps differ from the current material version).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import Session

from server_api.core.errors import VaultError
from server_api.store.entities import User
from server_api.store.limits import MAX_MATERIAL_MAPS, MAX_MATERIAL_NAME
from server_api.store.material_entities import (
    MATERIAL_ROLES,
    NORMAL_CONVENTIONS,
    MapSpec,
    Material,
    MaterialMap,
    MaterialVersion,
    MaterialVersionMap,
    role_order,
)
from server_api.store.sql.access import Access, collection_access, record_event
from server_api.store.sql.convert import T, U, V, now, utc
from server_api.store.sql.models import (
    MaterialGroupKeyRow,
    MaterialHoldRow,
    MaterialMapRow,
    MaterialRow,
    MaterialVersionMapRow,
    MaterialVersionRow,
)

M = MaterialRow.__table__
MM = MaterialMapRow.__table__
MV = MaterialVersionRow.__table__
MVM = MaterialVersionMapRow.__table__
MG = MaterialGroupKeyRow.__table__
MH = MaterialHoldRow.__table__

# A map as a snapshot sees it: (texture id, current version id, role, normal convention).
MapState = tuple[int, int, str, "str | None"]


# ---- arguments ------------------------------------------------------------------------------------
def check_material_name(name: str) -> str:
    if (
        not isinstance(name, str)
        or not name.strip()
        or len(name) > MAX_MATERIAL_NAME
        or any(ord(ch) < 32 for ch in name)
    ):
        raise VaultError(
            "invalid_argument",
            f"material name {str(name)[:80]!r} must be 1-{MAX_MATERIAL_NAME} printable characters",
        )
    return name.strip()


def check_spec(spec: MapSpec) -> MapSpec:
    if (
        not isinstance(spec, MapSpec)
        or isinstance(spec.texture_id, bool)
        or not isinstance(spec.texture_id, int)
    ):
        raise VaultError("invalid_argument", f"a map is a texture id with a role, not {spec!r}")
    if spec.role not in MATERIAL_ROLES:
        raise VaultError(
            "invalid_argument", f"unknown map role {spec.role!r}; roles: {', '.join(MATERIAL_ROLES)}"
        )
    if spec.normal_convention is not None and spec.normal_convention not in NORMAL_CONVENTIONS:
        raise VaultError(
            "invalid_argument",
            f"unknown normal convention {spec.normal_convention!r}; use {' or '.join(NORMAL_CONVENTIONS)}",
        )
    if spec.normal_convention is not None and spec.role != "normal":
        # Only a normal map has a convention; a role changed away from normal drops it.
        return MapSpec(spec.texture_id, spec.role, None)
    return spec


def check_specs(specs: Sequence[MapSpec]) -> list[MapSpec]:
    specs = [check_spec(spec) for spec in specs]
    if len(specs) > MAX_MATERIAL_MAPS:
        raise VaultError("invalid_argument", f"a material holds at most {MAX_MATERIAL_MAPS} maps")
    ids = [spec.texture_id for spec in specs]
    if len(set(ids)) != len(ids):
        raise VaultError("invalid_argument", "a texture is named twice among the maps")
    return specs


def check_ids(ids: Sequence[int], kind: str = "texture") -> list[int]:
    ids = list(ids)
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise VaultError("invalid_argument", f"{kind} ids must be integers, not {ids!r}")
    if len(ids) > MAX_MATERIAL_MAPS:
        raise VaultError("invalid_argument", f"at most {MAX_MATERIAL_MAPS} {kind}s at once")
    return ids


# ---- access ---------------------------------------------------------------------------------------
def material_access(s: Session, me: User, material_id: int, needed: str = "read") -> Access:
    if isinstance(material_id, bool) or not isinstance(material_id, int):
        raise VaultError("invalid_argument", f"material id must be an integer, not {material_id!r}")
    collection_id = s.execute(select(M.c.collection_id).where(M.c.id == material_id)).scalar()
    if collection_id is None:
        raise VaultError("not_found", f"material {material_id} not found")
    try:
        return collection_access(s, me, collection_id, needed)
    except VaultError as exc:
        if exc.code == "not_found":
            raise VaultError("not_found", f"material {material_id} not found") from None
        raise


def textures_of_collection(s: Session, collection_id: int, texture_ids: Iterable[int]) -> dict[int, str]:
    """{id: name} of those textures; one not in the collection (or in the trash): "not_found"."""
    ids = list(texture_ids)
    found = dict(
        s.execute(
            select(T.c.id, T.c.name).where(
                T.c.id.in_(ids), T.c.collection_id == collection_id, T.c.deleted_at.is_(None)
            )
        ).all()
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise VaultError("not_found", f"texture {missing[0]} not found in this collection")
    return found


def check_free(s: Session, texture_ids: Iterable[int], names: dict[int, str], but: int | None = None) -> None:
    """Refuse textures already in a material (other than ``but``): a texture is in at most one."""
    rows = s.execute(
        select(MM.c.texture_id, M.c.name)
        .join(M, M.c.id == MM.c.material_id)
        .where(MM.c.texture_id.in_(list(texture_ids)), MM.c.material_id != (but or -1))
    ).first()
    if rows is not None:
        raise VaultError(
            "conflict",
            f"{names.get(rows.texture_id, rows.texture_id)!r} is already a map "
            f"of material {rows.name!r}; remove it there first",
        )


# ---- loading --------------------------------------------------------------------------------------
def current_maps(s: Session, material_ids: Sequence[int]) -> dict[int, list[MaterialMap]]:
    """Each material's maps (textures in the trash left out), in role order."""
    rows = s.execute(
        select(
            MM.c.material_id,
            MM.c.texture_id,
            MM.c.role,
            MM.c.normal_convention,
            T.c.name,
            T.c.current_version_id,
            V.c.number,
        )
        .join(T, and_(T.c.id == MM.c.texture_id, T.c.deleted_at.is_(None)))
        .join(V, V.c.id == T.c.current_version_id)
        .where(MM.c.material_id.in_(list(material_ids)))
    ).all()
    maps: dict[int, list[MaterialMap]] = defaultdict(list)
    for r in rows:
        maps[r.material_id].append(
            MaterialMap(r.texture_id, r.name, r.role, r.normal_convention, r.current_version_id, r.number)
        )
    for listed in maps.values():
        listed.sort(
            key=lambda m: (role_order(m.role), m.normal_convention or "", m.name.lower(), m.texture_id)
        )
    return maps


def to_materials(s: Session, rows: Sequence) -> list[Material]:
    """Material rows (id, collection_id, name, created_at, updated_at, current_version_id) as entities."""
    ids = [r.id for r in rows]
    maps = current_maps(s, ids)
    numbers = dict(
        s.execute(
            select(MV.c.id, MV.c.number).where(
                MV.c.id.in_([r.current_version_id for r in rows if r.current_version_id])
            )
        ).all()
    )
    counts = dict(
        s.execute(
            select(MV.c.material_id, func.count()).where(MV.c.material_id.in_(ids)).group_by(MV.c.material_id)
        ).all()
    )
    return [
        Material(
            id=r.id,
            collection_id=r.collection_id,
            name=r.name,
            maps=tuple(maps.get(r.id, ())),
            version=numbers.get(r.current_version_id, 0),
            version_count=counts.get(r.id, 0),
            created_at=utc(r.created_at),
            updated_at=utc(r.updated_at),
        )
        for r in rows
    ]


def material_select():
    return select(
        M.c.id,
        M.c.collection_id,
        M.c.name,
        M.c.name_key,
        M.c.created_at,
        M.c.updated_at,
        M.c.current_version_id,
    )


def load_material(s: Session, material_id: int) -> Material:
    row = s.execute(material_select().where(M.c.id == material_id)).first()
    if row is None:
        raise VaultError("not_found", f"material {material_id} not found")
    return to_materials(s, [row])[0]


def load_versions(s: Session, material_id: int) -> list[MaterialVersion]:
    current = s.execute(select(M.c.current_version_id).where(M.c.id == material_id)).scalar()
    versions = s.execute(
        select(MV.c.id, MV.c.number, MV.c.note, MV.c.created_at, U.c.username)
        .join(U, U.c.id == MV.c.created_by_id)
        .where(MV.c.material_id == material_id)
        .order_by(MV.c.number.desc())
    ).all()
    maps: dict[int, list[MaterialVersionMap]] = defaultdict(list)
    for r in s.execute(
        select(
            MVM.c.material_version_id,
            MVM.c.texture_id,
            MVM.c.role,
            MVM.c.normal_convention,
            MVM.c.version_id,
            V.c.number,
        )
        .join(V, V.c.id == MVM.c.version_id)
        .where(MVM.c.material_version_id.in_([v.id for v in versions]))
    ):
        maps[r.material_version_id].append(
            MaterialVersionMap(r.texture_id, r.role, r.normal_convention, r.version_id, r.number)
        )
    for listed in maps.values():
        listed.sort(key=lambda m: (role_order(m.role), m.normal_convention or "", m.texture_id))
    return [
        MaterialVersion(
            id=v.id,
            material_id=material_id,
            number=v.number,
            maps=tuple(maps.get(v.id, ())),
            note=v.note or "",
            created_by=v.username,
            created_at=utc(v.created_at),
            is_current=v.id == current,
        )
        for v in versions
    ]


# ---- writing --------------------------------------------------------------------------------------
def put_maps(s: Session, material_id: int, specs: Sequence[MapSpec]) -> None:
    """Insert new maps, or change the role of maps already in this material."""
    existing = set(
        s.execute(
            select(MM.c.texture_id).where(
                MM.c.material_id == material_id, MM.c.texture_id.in_([m.texture_id for m in specs])
            )
        ).scalars()
    )
    for spec in specs:
        values = {"role": spec.role, "normal_convention": spec.normal_convention}
        if spec.texture_id in existing:
            s.execute(update(MM).where(MM.c.texture_id == spec.texture_id).values(**values))
        else:
            s.execute(insert(MM).values(texture_id=spec.texture_id, material_id=material_id, **values))
    # A texture put into a material by hand is no longer held out of grouping.
    s.execute(MH.delete().where(MH.c.texture_id.in_([m.texture_id for m in specs])))


def hold(s: Session, texture_ids: Iterable[int]) -> None:
    """Grouping on import leaves these textures alone from now on."""
    ids = list(texture_ids)
    held = set(s.execute(select(MH.c.texture_id).where(MH.c.texture_id.in_(ids))).scalars())
    when = now()
    for texture_id in ids:
        if texture_id not in held:
            s.execute(insert(MH).values(texture_id=texture_id, held_at=when))


def new_material(s: Session, collection_id: int, name: str) -> int:
    when = now()
    return s.execute(
        insert(M)
        .values(
            collection_id=collection_id, name=name, name_key=name.lower(), created_at=when, updated_at=when
        )
        .returning(M.c.id)
    ).scalar_one()


def snapshot(s: Session, me: User, material_id: int, note: str = "") -> int | None:
    """Make material version N+1 from the maps as they are now, unless they equal the current
    material version. The number of the new version, or None when nothing changed."""
    state = _state_now(s, material_id)
    current = s.execute(
        select(M.c.current_version_id).where(M.c.id == material_id).with_for_update()
    ).scalar()
    if current is not None and _state_of_version(s, current) == state:
        return None
    if current is None and not state:
        return None
    number = (
        s.execute(select(func.max(MV.c.number)).where(MV.c.material_id == material_id)).scalar() or 0
    ) + 1
    when = now()
    version_id = s.execute(
        insert(MV)
        .values(material_id=material_id, number=number, note=note, created_by_id=me.id, created_at=when)
        .returning(MV.c.id)
    ).scalar_one()
    if state:
        s.execute(
            insert(MVM),
            [
                {
                    "material_version_id": version_id,
                    "texture_id": t,
                    "version_id": v,
                    "role": r,
                    "normal_convention": c,
                }
                for t, v, r, c in sorted(state)
            ],
        )
    s.execute(update(M).where(M.c.id == material_id).values(current_version_id=version_id, updated_at=when))
    return number


def snapshot_materials_of(s: Session, me: User, texture_ids: Iterable[int], note: str = "") -> None:
    """One snapshot for each material holding any of these textures (an operation changed them)."""
    rows = s.execute(
        select(MM.c.material_id, M.c.collection_id, M.c.name)
        .join(M, M.c.id == MM.c.material_id)
        .where(MM.c.texture_id.in_(list(texture_ids)))
        .distinct()
    ).all()
    for row in sorted(rows):
        number = snapshot(s, me, row.material_id, note)
        if number is not None:
            record_event(
                s, me, "material_version", f"material {row.name!r} is now at v{number}", row.collection_id,
                material_id=row.material_id,
            )


def _state_now(s: Session, material_id: int) -> frozenset[MapState]:
    rows = s.execute(
        select(MM.c.texture_id, T.c.current_version_id, MM.c.role, MM.c.normal_convention)
        .join(T, and_(T.c.id == MM.c.texture_id, T.c.deleted_at.is_(None)))
        .where(MM.c.material_id == material_id, T.c.current_version_id.is_not(None))
    ).all()
    return frozenset(tuple(r) for r in rows)


def _state_of_version(s: Session, material_version_id: int) -> frozenset[MapState]:
    rows = s.execute(
        select(MVM.c.texture_id, MVM.c.version_id, MVM.c.role, MVM.c.normal_convention)
        .join(T, and_(T.c.id == MVM.c.texture_id, T.c.deleted_at.is_(None)))
        .where(MVM.c.material_version_id == material_version_id)
    ).all()
    return frozenset(tuple(r) for r in rows)


def count_maps(s: Session, material_id: int) -> int:
    return len(s.execute(select(MM.c.texture_id).where(MM.c.material_id == material_id)).all())
