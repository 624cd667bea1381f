"""`vault tag`, `vault tags` and `vault search`: tags and the query language from the command line.

    vault tag add ID... --tags wood,bark       vault tag remove ID... --tags wip   (--materials: material ids)
    vault tags [--json]                        the vocabulary: name, parent, aliases, count
    vault search 'QUERY' [--json]              every collection you can read
    vault smart [--json] | smart save NAME 'QUERY' | smart delete ID     your saved queries
"""

from __future__ import annotations

import argparse

from server_api.cli.output import add_sort_arguments, print_json, texture_json, texture_line
from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.store.base import VaultStore
from server_api.store.entities import TextureQuery

COMMANDS = ("tag", "tags", "search", "smart")


def add_commands(commands) -> None:
    tag = commands.add_parser("tag", help="add or remove tags on textures")
    tag.add_argument("action", choices=["add", "remove"])
    tag.add_argument("texture_ids", nargs="+", type=int, metavar="ID")
    tag.add_argument("--tags", required=True, metavar="A,B", help="comma-separated tag names")
    tag.add_argument("--materials", action="store_true", help="the IDs are material ids")
    tags = commands.add_parser("tags", help="every tag with its parent, aliases and count")
    tags.add_argument("--json", action="store_true")
    search = commands.add_parser("search", help="textures matching a query in every collection you can read")
    search.add_argument("query", metavar="QUERY", help="wood -wip tag:bark format:png size:>=2048 …")
    search.add_argument("--json", action="store_true")
    add_sort_arguments(search)
    smart = commands.add_parser("smart", help="smart collections: your saved queries with live counts")
    smart.add_argument("action", nargs="?", choices=["save", "delete"])
    smart.add_argument("args", nargs="*", metavar="NAME QUERY | ID")
    smart.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    if args.command == "tag":
        names = [n for n in args.tags.split(",") if n.strip()]
        if not names:
            raise VaultError("invalid_argument", f"--tags {args.tags!r} names no tag: give A,B")
        change = {"add": names} if args.action == "add" else {"remove": names}
        what = "material" if args.materials else "texture"
        (store.tag_materials if args.materials else store.tag_textures)(args.texture_ids, **change)
        print(f"{'tagged' if args.action == 'add' else 'untagged'} "
              f"{counted(len(set(args.texture_ids)), what)}: {', '.join(names)}")
    elif args.command == "tags":
        found = store.list_tags()
        if args.json:
            print_json([{"name": t.name, "parent": t.parent, "aliases": list(t.aliases),
                         "count": t.texture_count} for t in found])
        else:
            lines = [f"{t.name:24} {t.texture_count:>7}" + (f"  under {t.parent}" if t.parent else "")
                     + (f"  also {', '.join(t.aliases)}" if t.aliases else "") for t in found]
            print("\n".join(lines) or "no tags yet")
    elif args.command == "smart":
        return _smart(store, args)
    else:
        _search(store, TextureQuery(text=args.query, sort=args.sort, descending=args.descending), args.json)
    return 0


def _smart(store: VaultStore, args: argparse.Namespace) -> int:
    if args.action == "save":
        if len(args.args) != 2:
            raise VaultError("invalid_argument", "smart save takes NAME and 'QUERY'")
        made = store.save_smart_collection(*args.args)
        print(f"saved {made.name!r}: {counted(made.count, 'texture')} now")
    elif args.action == "delete":
        if len(args.args) != 1 or not args.args[0].isdigit():
            raise VaultError("invalid_argument", "smart delete takes the smart collection's ID")
        store.delete_smart_collection(int(args.args[0]))
    elif args.json:
        print_json([{"id": s.id, "name": s.name, "query": s.query, "count": s.count}
                    for s in store.list_smart_collections()])
    else:
        lines = [f"#{s.id:<5} {s.name:24} {s.count:>7}  {s.query}" for s in store.list_smart_collections()]
        print("\n".join(lines) or "no smart collections yet")
    return 0


def _search(store: VaultStore, query: TextureQuery, as_json: bool) -> None:
    rows, cursor = [], None
    while True:  # keyset pages until the end
        page = store.search_textures(query, limit=500, cursor=cursor)
        rows += page.items
        if page.next is None:
            break
        cursor = page.next
    if as_json:
        print_json([{"texture_id": f.texture.id, "name": f.texture.name, "collection": f.collection,
                     **texture_json(f.texture)} for f in rows])
    else:
        print("\n".join(f"{texture_line(f.texture)}  {f.collection}" for f in rows) or "nothing found")
