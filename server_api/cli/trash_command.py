"""`vault trash [empty]` and `vault restore ID`: undo for deleted textures from the command line.

    vault trash [--collection NAME] [--json]     deleted textures, most recent first
    vault trash empty [--collection NAME]        delete them for good
    vault restore TEXTURE_ID [--json]            bring one back with all its versions

Without --collection: every collection you can see (empty: every one you can write to).
"""

from __future__ import annotations

import argparse

from server_api.cli.output import print_json, texture_json, texture_line
from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.store.base import VaultStore


def add_commands(commands) -> None:
    trash = commands.add_parser("trash", help="deleted textures (restorable for 30 days); `trash empty`")
    trash.add_argument("action", nargs="?", choices=["empty"], help="delete the trash for good")
    trash.add_argument("--collection", metavar="NAME", help="only this collection (default: all)")
    trash.add_argument("--json", action="store_true")
    restore = commands.add_parser("restore", help="bring a deleted texture back from the trash")
    restore.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    restore.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    if args.command == "restore":
        texture = store.restore_texture(args.texture_id)
        if args.json:
            print_json(texture_json(texture))
        else:
            print(f"restored #{texture.id} {texture.name} ({counted(texture.version_count, 'version')})")
        return 0
    collections = ([store.find_collection(args.collection)] if args.collection
                   else store.list_collections())
    if args.action == "empty":
        writable = [c for c in collections if c.my_level in ("write", "admin", "owner")]
        if args.collection and not writable:
            raise VaultError("permission_denied", f"write access to collection {args.collection!r} is needed")
        purged = sum(store.empty_trash(c.id) for c in writable)
        print(f"emptied the trash: {counted(purged, 'texture')} deleted for good")
        return 0
    rows = [(c, t) for c in collections for t in store.list_trash(c.id)]
    rows.sort(key=lambda row: row[1].deleted_at, reverse=True)
    if args.json:
        print_json([{**texture_json(t), "collection": c.name, "deleted_at": t.deleted_at.isoformat()}
                    for c, t in rows])
    else:
        lines = [f"{texture_line(t)}  {c.name}  deleted {t.deleted_at:%Y-%m-%d %H:%M}" for c, t in rows]
        print("\n".join(lines) or "the trash is empty")
    return 0
