"""Tags on materials (SQL face): the same vocabulary as textures, write level on each material."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select

from server_api.store.sql.access import record_event
from server_api.store.sql.material_rows import material_access
from server_api.store.sql.models import MaterialTagRow
from server_api.store.sql.query_sql import TAG
from server_api.store.sql.tag_ops import _ids, _tag_id, tag_name

MT = MaterialTagRow.__table__


class MaterialTagsMixin:
    def material_tags(self, material_id: int) -> list[str]:
        me = self._me()
        with self._read() as s:
            material_access(s, me, material_id)
            rows = s.execute(select(TAG.c.name).join(MT, MT.c.tag_id == TAG.c.id)
                             .where(MT.c.material_id == material_id).order_by(TAG.c.name_key))
            return [r.name for r in rows]

    def tag_materials(self, material_ids: Sequence[int], *, add: Sequence[str] = (),
                      remove: Sequence[str] = ()) -> None:
        me = self._me()
        ids = sorted(set(_ids(material_ids)))
        adding, removing = [tag_name(n) for n in add], [tag_name(n) for n in remove]
        with self.session() as s:
            by_collection: dict[int, list[int]] = {}
            for material_id in ids:
                access = material_access(s, me, material_id, "write")
                by_collection.setdefault(access.collection_id, []).append(material_id)
            add_ids = list(dict.fromkeys(_tag_id(s, n, create=True) for n in adding))
            remove_ids = [i for i in (_tag_id(s, n, create=False) for n in removing) if i is not None]
            if remove_ids and ids:
                s.execute(delete(MT).where(MT.c.material_id.in_(ids), MT.c.tag_id.in_(remove_ids)))
            for tag_id in add_ids:
                have = set(s.execute(select(MT.c.material_id).where(
                    MT.c.tag_id == tag_id, MT.c.material_id.in_(ids))).scalars())
                rows = [{"material_id": m, "tag_id": tag_id} for m in ids if m not in have]
                if rows:
                    s.execute(insert(MT), rows)
            for collection_id, members in by_collection.items():
                said = (["tagged " + ", ".join(adding)] if adding else []) + (
                    ["untagged " + ", ".join(removing)] if removing else [])
                plural = "s" if len(members) != 1 else ""
                record_event(s, me, "tag", f"{'; '.join(said)} on {len(members)} material{plural}",
                             collection_id, material_id=members[0] if len(members) == 1 else None)
