"""`vault`: the command line for a local vault (and, with a token, a server).

    vault --vault PATH init
    vault --vault PATH collection create NAME | collection list
    vault --vault PATH import --collection NAME [--json] [--tag-folders] PATH...
    vault --vault PATH watch --collection NAME [--settle S] [--json] DIR    (until Ctrl+C)
    vault --vault PATH ls --collection NAME [--query 'QUERY'] [--sort name|date|size|rank] [--json]
    vault --vault PATH versions TEXTURE_ID [--json]
    vault --vault PATH set-current TEXTURE_ID VERSION
    vault --vault PATH publish TEXTURE_ID [--allow-path DIR]
    vault --vault PATH roots list | set NAME --windows P --linux P [--macos P] | remove NAME
                             | allow DIR | disallow DIR
    vault --vault PATH fsck [--json] [--repair] | gc
    vault --vault PATH tag add|remove ID... --tags A,B | tags [--json] | search 'QUERY' [--sort S] [--json]
    vault --vault PATH similar TEXTURE_ID [--limit N] [--json] | dupes --collection NAME [--json] | reindex
    vault --vault PATH trash [empty] [--versions] [--collection NAME] | restore TEXTURE_ID
                       | restore-version VERSION_ID
    vault --vault PATH retention --collection NAME [--keep-last N | --keep-all] [--preview] [--json]
    vault --vault PATH export --collection NAME ARCHIVE.tar | import-archive ARCHIVE.tar [--into NAME]
    vault login URL [--username NAME] | logout URL     (then: vault --vault URL ls ...)
    vault --vault URL sync | pending [--json]   (the offline queue; ls/versions/search answer from the
                                                 kept copy when the server is down, with a warning)

--vault defaults to $VAULT. Exit codes: 0 done; 1 the work failed or some files were rejected
(the rest imported) or fsck found problems; 2 usage errors (bad arguments, no vault).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from server_api.cli import (
    changes_command,
    colour_command,
    info_command,
    materials_command,
    offline_command,
    qa_command,
    retention_command,
    review_command,
    similar_command,
    tag_command,
    trash_command,
)
from server_api.cli.archive_command import add_archive_parsers, run_export, run_import_archive
from server_api.cli.output import (
    add_sort_arguments,
    collection_json,
    collection_line,
    print_json,
    texture_json,
    texture_line,
    version_json,
    version_line,
)
from server_api.cli.roots_command import add_roots_parser, run_roots
from server_api.cli.watch_command import add_watch_parser, run_watch
from server_api.core.errors import VaultError
from server_api.core.settings import Settings
from server_api.store import open_store
from server_api.store.base import VaultStore
from server_api.store.entities import TextureQuery

USAGE_ERROR = 2
COMMAND_MODULES = (tag_command, similar_command, info_command, colour_command, qa_command, offline_command,
                   review_command, changes_command, retention_command)


class UsageError(Exception):
    """Wrong use of the command (exit 2), as opposed to work that failed (exit 1)."""


def build_parser(config: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vault", description="Texture Vault command line")
    parser.add_argument("--vault", default=config.vault,
                        help="vault folder or server URL (default: $VAULT)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("init", help="create the vault folder if needed")

    collection = commands.add_parser("collection", help="create or list collections")
    collection_commands = collection.add_subparsers(dest="collection_command", required=True)
    create = collection_commands.add_parser("create", help="a new collection")
    create.add_argument("name")
    create.add_argument("--description", default="")
    create.add_argument("--json", action="store_true")
    listing = collection_commands.add_parser("list", help="collections you can see")
    listing.add_argument("--json", action="store_true")

    imp = commands.add_parser("import", help="import files and folders (recursive)")
    imp.add_argument("--collection", required=True, metavar="NAME")
    imp.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    imp.add_argument("--workers", type=int, default=None, help="parallel files (default: all cores)")
    imp.add_argument("--tag-folders", action="store_true",
                     help="tag each file with the names of the folders below the folder given")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    add_watch_parser(commands)

    ls = commands.add_parser("ls", help="a collection's textures")
    ls.add_argument("--collection", required=True, metavar="NAME")
    ls.add_argument("--query", default="", metavar="QUERY",
                    help="the query language: wood -wip tag:bark format:png,tga size:>=2048 (README)")
    ls.add_argument("--json", action="store_true")
    add_sort_arguments(ls)

    versions = commands.add_parser("versions", help="a texture's version history, newest first")
    versions.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    versions.add_argument("--json", action="store_true")

    current = commands.add_parser("set-current", help="make a version number current again")
    current.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    current.add_argument("version", type=int, metavar="VERSION")

    publish = commands.add_parser("publish", help="write the current version to its original path")
    publish.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    publish.add_argument("--json", action="store_true")
    publish.add_argument("--allow-path", action="append", default=[], metavar="DIR",
                         help="approve DIR (and below) for publishing from this vault, kept for next time")
    add_roots_parser(commands)

    fsck = commands.add_parser("fsck", help="check every version's bytes are present and intact, and its "
                               "thumbnail decodes")
    fsck.add_argument("--json", action="store_true")
    fsck.add_argument("--repair", action="store_true", help="make missing or corrupt thumbnails again")
    commands.add_parser("gc", help="delete stored bytes no version uses any more")
    trash_command.add_commands(commands)
    materials_command.add_commands(commands)
    tag_command.add_commands(commands)
    similar_command.add_commands(commands)
    info_command.add_commands(commands)
    colour_command.add_commands(commands)
    qa_command.add_commands(commands)
    offline_command.add_commands(commands)
    review_command.add_commands(commands)
    changes_command.add_commands(commands)
    retention_command.add_commands(commands)
    add_archive_parsers(commands)

    login = commands.add_parser("login", help="sign in to a server and keep its token (mode 0600)")
    login.add_argument("url", help="the server, e.g. http://vault.studio:8765")
    login.add_argument("--username", help="default: asked for (or the first line of stdin)")
    logout = commands.add_parser("logout", help="revoke and forget the token kept for a server")
    logout.add_argument("url")
    return parser


def _open(args: argparse.Namespace, config: Settings) -> VaultStore:
    location = (args.vault or "").strip()
    if not location:
        raise UsageError("no vault given: pass --vault PATH or set $VAULT")
    if "://" not in location and args.command != "init":
        from server_api.store.sql.store import DB_FILE

        if not (Path(location).expanduser() / DB_FILE).is_file():
            raise UsageError(f"no vault at {location}: create it with `vault --vault {location} init`")
    return open_store(location, token=_token_for(location, config))


def _token_for(location: str, config: Settings) -> str | None:
    """The API token for a server URL ($VAULT_TOKEN, else the one `vault login` kept); None for folders."""
    from server_api.cli import credentials

    return credentials.token_for(location, config) if "://" in location else None


def _sign_in_or_out(args: argparse.Namespace) -> int:
    from server_api.cli import credentials

    if args.command == "login":
        username = credentials.login(args.url, args.username)
        print(f"signed in to {args.url} as {username}; token kept in {credentials.credentials_path()}")
    elif credentials.logout(args.url):
        print(f"signed out of {args.url}")
    else:
        print(f"no saved login for {args.url}")
    return 0


def _run(store: VaultStore, args: argparse.Namespace) -> int:
    command = args.command
    for module in COMMAND_MODULES:  # the commands that live in a module of their own
        if command in module.COMMANDS:
            return module.run(store, args)
    if command == "init":
        print(f"vault ready at {store.uri} (you are {store.current_user().username})")
    elif command == "collection" and args.collection_command == "create":
        made = store.create_collection(args.name, args.description)
        if args.json:
            print_json(collection_json(made))
        else:
            print(f"created collection {made.name!r}")
    elif command == "collection":
        found = store.list_collections()
        if args.json:
            print_json([collection_json(c) for c in found])
        else:
            print("\n".join(collection_line(c) for c in found) or "no collections yet")
    elif command == "import":
        from server_api.cli.import_command import run_import

        return run_import(store, args.collection, args.paths, args.json, args.workers, args.tag_folders)
    elif command == "watch":
        return run_watch(store, args)
    elif command == "ls":
        query = TextureQuery(text=args.query, sort=args.sort, descending=args.descending)
        return _list_textures(store, args.collection, query, args.json)
    elif command == "versions":
        found = store.list_versions(args.texture_id)
        if args.json:
            print_json([version_json(v) for v in found])
        else:
            print("\n".join(version_line(v) for v in found))
    elif command == "set-current":
        return _set_current(store, args.texture_id, args.version)
    elif command == "publish":
        return _publish(store, args.texture_id, args.json, args.allow_path)
    elif command == "roots":
        return run_roots(store.uri, args)
    elif command == "fsck":
        return _fsck(store, args.json, args.repair)
    elif command in trash_command.COMMANDS:
        return trash_command.run(store, args)
    elif command in ("materials", "material"):
        return materials_command.run(store, args)
    elif command == "export":
        return run_export(store, args)
    elif command == "import-archive":
        return run_import_archive(store, args)
    elif command == "gc":
        report = _local_only(store, "gc").gc()
        print(f"removed {report.removed_blobs} unused blobs and {report.removed_temp} stale temp files, "
              f"freed {report.freed_bytes} bytes")
    return 0


def _list_textures(store: VaultStore, collection_name: str, query: TextureQuery, as_json: bool) -> int:
    collection = store.find_collection(collection_name)
    cursor, first = None, True
    if as_json:
        sys.stdout.write("[")
    while True:  # page through with the keyset cursor: constant memory for any collection size
        page = store.list_textures(collection.id, query, limit=500, cursor=cursor)
        for texture in page.items:
            if as_json:
                sys.stdout.write(("" if first else ",\n") + json.dumps(texture_json(texture)))
            else:
                sys.stdout.write(texture_line(texture) + "\n")
            first = False
        if page.next is None:
            break
        cursor = page.next
    sys.stdout.write("]\n" if as_json else "")
    return 0


def _publish(store: VaultStore, texture_id: int, as_json: bool, allow_paths: list[str]) -> int:
    from server_api.workflows.publish_roots import PublishRoots
    from server_api.workflows.publishing import publish

    roots = PublishRoots.load(store.uri)
    for folder in allow_paths:
        print(f"approved {roots.approve(folder)} for publishing from {store.uri}", file=sys.stderr)
    result = publish(store, texture_id, roots=roots)
    kept = result.kept_version.number if result.kept_version else None
    if as_json:
        print_json({"texture_id": result.texture_id, "path": result.path,
                    "version": result.version.number, "kept_version": kept})
    else:
        note = f" (kept the file found there as v{kept})" if kept else ""
        print(f"published v{result.version.number} to {result.path}{note}")
    return 0


def _set_current(store: VaultStore, texture_id: int, number: int) -> int:
    matches = [v for v in store.list_versions(texture_id) if v.number == number]
    if not matches:
        raise VaultError("not_found", f"texture {texture_id} has no version {number}")
    texture = store.set_current_version(texture_id, matches[0].id)
    print(f"{texture.name}: v{texture.current.number} is current")
    return 0


def _fsck(store: VaultStore, as_json: bool, repair: bool) -> int:
    report = _local_only(store, "fsck").fsck(repair=repair)
    if as_json:
        print_json({"ok": report.ok, "textures_checked": report.textures_checked,
                    "versions_checked": report.versions_checked, "blobs_checked": report.blobs_checked,
                    "bytes_checked": report.bytes_checked, "unreferenced_blobs": report.unreferenced_blobs,
                    "missing_thumbnails": report.missing_thumbnails,
                    "corrupt_thumbnails": report.corrupt_thumbnails,
                    "repaired_thumbnails": report.repaired_thumbnails, "problems": list(report.problems)})
    else:
        print("\n".join([*report.problems, report.summary()]))
    return 0 if report.ok else 1


def _local_only(store: VaultStore, what: str):
    if not hasattr(store, what):
        raise UsageError(f"{what} runs on the vault folder itself, not through a server")
    return store


def main(argv: list[str] | None = None) -> int:
    try:
        config = Settings.from_env()  # once, here; everything below is handed what it needs
    except VaultError as exc:
        print(f"vault: {exc.message}", file=sys.stderr)
        return USAGE_ERROR
    parser = build_parser(config)
    args = parser.parse_args(argv)  # exits 2 on usage errors
    try:
        if args.command in ("login", "logout"):
            return _sign_in_or_out(args)
        store = _open(args, config)
        try:
            code = _run(store, args)
            offline_command.warn_if_offline(store)
            return code
        finally:
            store.close()
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"vault: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except VaultError as exc:
        print(f"vault: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("vault: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
