"""How the `vault` CLI prints things: the JSON shapes scripts rely on, and short human lines."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime

from server_api.core.units import human_size
from server_api.store.entities import Collection, ImportResult, Texture, Version


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def import_json(result: ImportResult) -> dict:
    # Exactly the fields the CLI contract names, in that order; null where not applicable.
    fields = asdict(result)
    del fields["error_code"]  # the reason is in "error"; the code steers the app's retry only
    return fields


def texture_json(texture: Texture) -> dict:
    v = texture.current
    return {
        "id": texture.id, "name": texture.name, "original_path": texture.original_path,
        "version": v.number, "version_id": v.id, "version_count": texture.version_count,
        "format": v.format, "width": v.width, "height": v.height, "mode": v.mode,
        "bit_depth": v.bit_depth, "has_alpha": v.has_alpha, "byte_size": v.byte_size,
        "sha256": v.sha256, "updated_at": _iso(texture.updated_at),
        "published_version_id": texture.published_version_id,
        **({} if texture.distance is None else {"distance": texture.distance}),  # --sort rank only
    }


def add_sort_arguments(parser) -> None:
    """``--sort`` and ``--descending`` for a listing (ls, search): the store's sorts (entities.SORT_KEYS)."""
    from server_api.store.entities import SORT_KEYS

    parser.add_argument("--sort", choices=SORT_KEYS, default="name",
                        help="rank: nearest first to the query's similar:ID or colour: (with distances)")
    parser.add_argument("--descending", action="store_true")


def version_json(v: Version) -> dict:
    return {
        "id": v.id, "texture_id": v.texture_id, "number": v.number, "current": v.is_current,
        "sha256": v.sha256, "byte_size": v.byte_size, "format": v.format, "width": v.width,
        "height": v.height, "mode": v.mode, "bit_depth": v.bit_depth, "has_alpha": v.has_alpha,
        "has_icc": v.has_icc, "colour_space": v.colour_space, "note": v.note, "created_by": v.created_by,
        "created_at": _iso(v.created_at), "published_at": _iso(v.published_at),
        "qa": [asdict(f) for f in v.qa],  # the collection's QA rules it breaks (store/qa_rules.py)
    }


def collection_json(c: Collection) -> dict:
    return {
        "id": c.id, "name": c.name, "description": c.description, "owner": c.owner,
        "texture_count": c.texture_count, "my_level": c.my_level, "shared": c.shared,
        "created_at": _iso(c.created_at),
    }


def print_json(value) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def import_line(r: ImportResult) -> str:
    if r.status == "rejected":
        reason = (r.error or "").removeprefix(r.path.rsplit("/", 1)[-1] + ": ")
        return f"rejected     {r.path}: {reason}"
    line = f"{r.status:<12} #{r.texture_id} v{r.version}  {r.format} {r.width}x{r.height}  {r.path}"
    return f"{line}  ({r.note})" if r.note else line


def texture_line(t: Texture) -> str:
    v = t.current
    rank = "" if t.distance is None else f"  distance {t.distance:g}"
    return (f"#{t.id:<6} {t.name:<32} v{v.number:<3} {v.format:<5} {v.width}x{v.height} "
            f"{v.bit_depth}-bit{' alpha' if v.has_alpha else ''}  {human_size(v.byte_size)}{rank}")


def version_line(v: Version) -> str:
    mark = "*" if v.is_current else " "
    when = v.created_at.strftime("%Y-%m-%d %H:%M")
    published = f"  published {v.published_at:%Y-%m-%d %H:%M}" if v.published_at else ""
    note = f"  {v.note}" if v.note else ""
    return (f"v{v.number:<3}{mark} id {v.id:<6} {when}  {v.format} {v.width}x{v.height} {v.bit_depth}-bit  "
            f"{v.colour_space}  {human_size(v.byte_size)}  {v.created_by}{published}{note}")


def collection_line(c: Collection) -> str:
    shared = ", shared" if c.shared else ""
    return f"{c.name}  ({c.texture_count} textures, owner {c.owner}, you: {c.my_level}{shared})"
