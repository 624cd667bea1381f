"""`vault trash [empty]` and `vault restore ID`: undo for deleted textures from the command line.

    vault trash [--collection NAME] [--json]     deleted textures, most recent first
    vault trash empty [--collection NAME]        delete them for good
    vault restore TEXTURE_ID [--json]            bring one back with all its versions
    vault trash --versions [--collection NAME] [--json]   versions a retention policy moved to the
                                                 version trash (retention_command.py)
    vault trash empty --versions [--collection NAME]      delete those for good (gc then frees bytes)
    vault restore-version VERSION_ID [--json]    bring one back (visible, not current)

Without --collection: every collection you can see (empty: every one you can write to).
"""

from __future__ import annotations

import argparse

from server_api.cli.output import print_json, texture_json, texture_line, version_json, version_line
from server_api.core.errors import VaultError
from server_api.core.wording import counted
from server_api.store.base import VaultStore

COMMANDS = ("trash", "restore", "restore-version")


def add_commands(commands) -> None:
    trash = commands.add_parser("trash", help="deleted textures (restorable for 30 days); `trash empty`")
    trash.add_argument("action", nargs="?", choices=["empty"], help="delete the trash for good")
    trash.add_argument("--collection", metavar="NAME", help="only this collection (default: all)")
    trash.add_argument("--versions", action="store_true",
                       help="the version trash (old versions a retention policy moved there) instead")
    trash.add_argument("--json", action="store_true")
    restore = commands.add_parser("restore", help="bring a deleted texture back from the trash")
    restore.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    restore.add_argument("--json", action="store_true")
    restore_version = commands.add_parser("restore-version", help="bring a version back from the version "
                                          "trash (visible again, not made current)")
    restore_version.add_argument("version_id", type=int, metavar="VERSION_ID")
    restore_version.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    if args.command == "restore":
        texture = store.restore_texture(args.texture_id)
        if args.json:
            print_json(texture_json(texture))
        else:
            print(f"restored #{texture.id} {texture.name} ({counted(texture.version_count, 'version')})")
        return 0
    if args.command == "restore-version":
        version = store.restore_version(args.version_id)
        if args.json:
            print_json(version_json(version))
        else:
            print(f"restored v{version.number} (version {version.id}) of texture {version.texture_id}")
        return 0
    collections = ([store.find_collection(args.collection)] if args.collection
                   else store.list_collections())
    if args.versions:
        return _version_trash(store, collections, args)
    if args.action == "empty":
        writable = _writable(collections, args.collection)
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


def _version_trash(store: VaultStore, collections, args: argparse.Namespace) -> int:
    if args.action == "empty":
        writable = _writable(collections, args.collection)
        purged = sum(store.empty_version_trash(c.id) for c in writable)
        print(f"emptied the version trash: {counted(purged, 'version')} deleted for good "
              "(vault gc frees the bytes no version uses)")
        return 0
    rows = [(c, t) for c in collections for t in store.list_version_trash(c.id)]
    rows.sort(key=lambda row: row[1].version.trashed_at, reverse=True)
    if args.json:
        print_json([{**version_json(t.version), "texture": t.texture_name, "collection": c.name,
                     "trashed_at": t.version.trashed_at.isoformat()} for c, t in rows])
    else:
        lines = [f"{t.texture_name}  {version_line(t.version)}  {c.name}  trashed "
                 f"{t.version.trashed_at:%Y-%m-%d %H:%M}" for c, t in rows]
        print("\n".join(lines) or "the version trash is empty")
    return 0


def _writable(collections, named: str | None) -> list:
    writable = [c for c in collections if c.my_level in ("write", "admin", "owner")]
    if named and not writable:
        raise VaultError("permission_denied", f"write access to collection {named!r} is needed")
    return writable
