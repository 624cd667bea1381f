"""``vault export``: one collection into a self-describing archive (workflows/archive_format.py).

Works on any face through the VaultStore interface (read level): every texture (not the trash: it
is on its way out, and its versions are not readable) with every version's facts and bytes,
grants, materials with their maps and version history, tags and the activity. Bytes are streamed
from the store into the tar, each sha256 once; the archive is written to a temp file beside the
target and renamed into place when complete, so an interrupted export never leaves a truncated
archive under the name asked for.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from server_api.store.base import VaultStore
from server_api.store.entities import Texture, Version
from server_api.workflows.archive_format import FORMAT, MANIFEST, VERSION, blob_member, when

PAGE = 500


@dataclass(frozen=True)
class ExportReport:
    path: str
    textures: int
    versions: int
    blobs: int
    bytes: int


def export_collection(store: VaultStore, collection_name: str, archive: str) -> ExportReport:
    collection = store.find_collection(collection_name)
    textures = _all_textures(store, collection.id)
    versions = {t.id: sorted(store.list_versions(t.id), key=lambda v: v.number) for t in textures}
    manifest = {
        "format": FORMAT, "version": VERSION, "archive_id": uuid.uuid4().hex,
        "exported_at": datetime.now(UTC).isoformat(), "exported_from": store.uri,
        "exported_by": store.current_user().username,
        "collection": {"name": collection.name, "description": collection.description,
                       "owner": collection.owner},
        "grants": [{"username": g.username, "level": g.level} for g in store.list_grants(collection.id)
                   if g.level != "owner"],
        "textures": [_texture(store, t, versions[t.id]) for t in textures],
        "materials": _materials(store, collection.id),
        "events": _events(store, collection.id),
    }
    blobs = {v.sha256: v for vs in versions.values() for v in vs}
    folder = os.path.dirname(os.path.abspath(archive)) or "."
    temp = os.path.join(folder, f".{os.path.basename(archive)}.{uuid.uuid4().hex[:8]}.partial")
    total = 0
    try:
        with tarfile.open(temp, "w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            for sha, version in blobs.items():
                info = tarfile.TarInfo(blob_member(sha))
                info.size = version.byte_size
                with store.open_version(version.id) as stream:
                    tar.addfile(info, stream)
                total += version.byte_size
        with open(temp, "rb+") as done:
            os.fsync(done.fileno())
        os.replace(temp, archive)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return ExportReport(archive, len(textures), sum(len(v) for v in versions.values()), len(blobs), total)


def _all_textures(store: VaultStore, collection_id: int) -> list[Texture]:
    found, cursor = [], None
    while True:
        page = store.list_textures(collection_id, limit=PAGE, cursor=cursor)
        found.extend(page.items)
        cursor = page.next
        if cursor is None:
            return found


def _texture(store: VaultStore, texture: Texture, versions: list[Version]) -> dict:
    published = next((v.number for v in versions if v.id == texture.published_version_id), None)
    return {
        "key": texture.id, "name": texture.name, "original_path": texture.original_path,
        "created_at": when(texture.created_at),
        "current": texture.current.number, "published": published,
        "tags": store.texture_tags(texture.id),
        "versions": [{"number": v.number, "sha256": v.sha256, "byte_size": v.byte_size, "format": v.format,
                      "width": v.width, "height": v.height, "bit_depth": v.bit_depth, "note": v.note,
                      "colour_space": v.colour_space, "created_by": v.created_by,
                      "created_at": when(v.created_at), "published_at": when(v.published_at)}
                     for v in versions],
    }


def _materials(store: VaultStore, collection_id: int) -> list[dict]:
    out, cursor = [], None
    while True:
        page = store.list_materials(collection_id, limit=PAGE, cursor=cursor)
        for m in page.items:
            history = sorted(store.list_material_versions(m.id), key=lambda mv: mv.number)
            out.append({
                "name": m.name, "current": m.version, "tags": store.material_tags(m.id),
                "maps": [{"texture": mm.texture_id, "role": mm.role,
                          "normal_convention": mm.normal_convention} for mm in m.maps],
                "versions": [{"number": mv.number, "note": mv.note, "created_by": mv.created_by,
                              "created_at": when(mv.created_at),
                              "maps": [{"texture": x.texture_id, "role": x.role, "version": x.version_number}
                                       for x in mv.maps]} for mv in history],
            })
        cursor = page.next
        if cursor is None:
            return out


def _events(store: VaultStore, collection_id: int) -> list[dict]:
    out, cursor = [], None
    while True:
        page = store.list_events(collection_id, limit=PAGE, cursor=cursor)
        out.extend({"action": e.action, "actor": e.actor, "texture": e.texture_id, "detail": e.detail,
                    "at": when(e.created_at)} for e in page.items)
        cursor = page.next
        if cursor is None:
            return list(reversed(out))  # oldest first, as they happened


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))
