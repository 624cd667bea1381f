"""`vault materials` and `vault material ...`: PBR sets from the command line (scripts depend on it).

vault materials --collection NAME [--json]
vault material show ID [--json]                       (+ "versions": [{"number", "maps": {role: n}}])
vault material create --collection NAME NAME TEXTURE_ID...   (roles read from the texture names)
vault material set-role ID TEXTURE_ID ROLE [--convention opengl|directx]
vault material publish ID [--allow-path DIR] [--json]  |  material set-current ID NUMBER
vault material rename ID NAME | add ID TEXTURE_ID [--role ROLE] | remove ID TEXTURE_ID...
vault material split ID --name NAME TEXTURE_ID... | merge ID OTHER_ID | delete ID
"""

from __future__ import annotations

import argparse
import sys

from server_api.cli.output import print_json
from server_api.imaging.map_names import read_name
from server_api.store.base import VaultStore
from server_api.store.material_entities import MATERIAL_ROLES, NORMAL_CONVENTIONS, MapSpec, Material
from server_api.workflows.publish_roots import PublishRoots


def add_commands(commands) -> None:
    listing = commands.add_parser(
        "materials", help="a collection's materials (textures in none are not listed)"
    )
    listing.add_argument("--collection", required=True, metavar="NAME")
    listing.add_argument("--json", action="store_true")
    material = commands.add_parser("material", help="show, make, correct, publish a material")
    sub = material.add_subparsers(dest="material_command", required=True)
    show = sub.add_parser("show", help="its maps and versions")
    show.add_argument("material_id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true")
    create = sub.add_parser("create", help="a material of these textures (roles read from their names)")
    create.add_argument("--collection", required=True, metavar="NAME")
    create.add_argument("name")
    create.add_argument("texture_ids", type=int, nargs="+", metavar="TEXTURE_ID")
    create.add_argument("--json", action="store_true")
    role = sub.add_parser("set-role", help="change one map's role")
    role.add_argument("material_id", type=int, metavar="ID")
    role.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    role.add_argument("role", choices=MATERIAL_ROLES, metavar="ROLE")
    role.add_argument("--convention", choices=NORMAL_CONVENTIONS, help="for a normal map")
    publish = sub.add_parser("publish", help="write every map's current version to its original path")
    publish.add_argument("material_id", type=int, metavar="ID")
    publish.add_argument("--allow-path", action="append", default=[], metavar="DIR",
                         help="approve this folder for publishing from this vault first (remembered)")
    publish.add_argument("--json", action="store_true")
    current = sub.add_parser("set-current", help="make a material version current (every map follows)")
    current.add_argument("material_id", type=int, metavar="ID")
    current.add_argument("number", type=int, metavar="NUMBER")
    rename = sub.add_parser("rename", help="a new name")
    rename.add_argument("material_id", type=int, metavar="ID")
    rename.add_argument("name")
    add = sub.add_parser("add", help="put a texture in (role read from its name unless given)")
    add.add_argument("material_id", type=int, metavar="ID")
    add.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    add.add_argument("--role", choices=MATERIAL_ROLES)
    remove = sub.add_parser("remove", help="take textures out (imports never put them back)")
    remove.add_argument("material_id", type=int, metavar="ID")
    remove.add_argument("texture_ids", type=int, nargs="+", metavar="TEXTURE_ID")
    split = sub.add_parser("split", help="move these maps into a new material")
    split.add_argument("material_id", type=int, metavar="ID")
    split.add_argument("--name", required=True)
    split.add_argument("texture_ids", type=int, nargs="+", metavar="TEXTURE_ID")
    merge = sub.add_parser("merge", help="move every map of OTHER_ID into ID")
    merge.add_argument("material_id", type=int, metavar="ID")
    merge.add_argument("other_id", type=int, metavar="OTHER_ID")
    delete = sub.add_parser("delete", help="the maps stay as textures")
    delete.add_argument("material_id", type=int, metavar="ID")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    if args.command == "materials":
        return _list(store, args.collection, args.json)
    command, mid = args.material_command, getattr(args, "material_id", None)
    if command == "show":
        return _show(store, mid, args.json)
    if command == "create":
        collection = store.find_collection(args.collection)
        made = store.create_material(collection.id, args.name, [_guessed(store, t) for t in args.texture_ids])
        return _print(made, args.json)
    if command == "publish":
        return _publish(store, mid, args.json, args.allow_path)
    changed = {
        "set-role": lambda: store.set_map_role(mid, args.texture_id, args.role, args.convention),
        "set-current": lambda: store.set_current_material_version(mid, args.number),
        "rename": lambda: store.rename_material(mid, args.name),
        "add": lambda: store.add_material_maps(mid, [_guessed(store, args.texture_id, args.role)]),
        "remove": lambda: store.remove_material_maps(mid, args.texture_ids),
        "split": lambda: store.split_material(mid, args.texture_ids, args.name),
        "merge": lambda: store.merge_materials(mid, args.other_id),
    }
    if command == "delete":
        store.delete_material(mid)
        print(f"deleted material #{mid}; its maps stay as textures")
        return 0
    return _print(changed[command](), False)


def material_json(material: Material) -> dict:
    return {
        "id": material.id,
        "name": material.name,
        "version": material.version,
        "maps": [
            {
                "role": m.role,
                "texture_id": m.texture_id,
                "name": m.name,
                "normal_convention": m.normal_convention,
            }
            for m in material.maps
        ],
    }


def role_keys(maps) -> list[str]:
    """One key per map: its role, or role_convention / role_texture-id where a role repeats."""
    keys: list[str] = []
    for m in maps:
        key = m.role
        if key in keys:
            key = f"{m.role}_{m.normal_convention}" if m.normal_convention else f"{m.role}_{m.texture_id}"
        keys.append(key if key not in keys else f"{m.role}_{m.texture_id}")
    return keys


def _guessed(store: VaultStore, texture_id: int, role: str | None = None) -> MapSpec:
    if role is not None:
        return MapSpec(texture_id, role)
    reading = read_name(store.get_texture(texture_id).name)
    return MapSpec(texture_id, reading.role or "other", reading.normal_convention)


def _list(store: VaultStore, collection_name: str, as_json: bool) -> int:
    collection = store.find_collection(collection_name)
    materials, cursor = [], None
    while True:
        page = store.list_materials(collection.id, limit=1000, cursor=cursor)
        materials.extend(page.items)
        if (cursor := page.next) is None:
            break
    if as_json:
        print_json([material_json(m) for m in materials])
    for m in materials if not as_json else ():
        print(_line(m))
    return 0


def _show(store: VaultStore, material_id: int, as_json: bool) -> int:
    material = store.get_material(material_id)
    versions = store.list_material_versions(material_id)
    if as_json:
        shown = material_json(material)
        shown["versions"] = [
            {
                "number": v.number,
                "maps": dict(zip(role_keys(v.maps), (m.version_number for m in v.maps), strict=True)),
            }
            for v in versions
        ]
        print_json(shown)
        return 0
    print(_line(material))
    for m in material.maps:
        convention = f" ({m.normal_convention})" if m.normal_convention else ""
        print(f"  {m.role}{convention}: #{m.texture_id} {m.name} v{m.version_number}")
    for v in versions:
        maps = ", ".join(f"{k} v{m.version_number}" for k, m in zip(role_keys(v.maps), v.maps, strict=True))
        mark = "*" if v.is_current else " "
        print(f"  {mark} v{v.number} {v.created_at:%Y-%m-%d %H:%M} {v.created_by}: {maps}")
    return 0


def _publish(store: VaultStore, material_id: int, as_json: bool, allow_paths: list[str]) -> int:
    from server_api.workflows.material_publishing import publish_material  # only this command writes files

    roots = PublishRoots.load(store.uri)
    for folder in allow_paths:
        print(f"approved {roots.approve(folder)} for publishing from {store.uri}", file=sys.stderr)
    result = publish_material(store, material_id, roots=roots)
    if as_json:
        print_json(
            {
                "material_id": result.material_id,
                "version": result.version,
                "published": [
                    {
                        "texture_id": p.texture_id,
                        "version": p.version.number,
                        "path": p.path,
                        "kept_version": p.kept_version.number if p.kept_version else None,
                    }
                    for p in result.published
                ],
            }
        )
        return 0
    for p in result.published:
        print(f"published v{p.version.number} of #{p.texture_id} to {p.path}")
    return 0


def _print(material: Material, as_json: bool) -> int:
    if as_json:
        print_json(material_json(material))
    else:
        print(_line(material))
    return 0


def _line(m: Material) -> str:
    roles = ", ".join(m.role + (f"/{m.normal_convention}" if m.normal_convention else "") for m in m.maps)
    return f"#{m.id} {m.name} v{m.version} [{roles}]"
