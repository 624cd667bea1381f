"""`vault export` and `vault import-archive`: move or back up one collection (workflows/archive_*.py).

    vault --vault V export --collection NAME ARCHIVE.tar [--json]
    vault --vault V import-archive ARCHIVE.tar [--into NAME] [--json]
"""

from __future__ import annotations

import argparse
import sys

from server_api.cli.output import print_json
from server_api.core.units import human_size
from server_api.store.base import VaultStore


def add_archive_parsers(commands) -> None:
    export = commands.add_parser("export", help="write one collection into a self-describing archive")
    export.add_argument("--collection", required=True, metavar="NAME")
    export.add_argument("archive", metavar="ARCHIVE.tar")
    export.add_argument("--json", action="store_true")
    restore = commands.add_parser("import-archive", help="restore an exported collection (idempotent)")
    restore.add_argument("archive", metavar="ARCHIVE.tar")
    restore.add_argument("--into", metavar="NAME",
                         help="the collection to restore into (default: its own name)")
    restore.add_argument("--json", action="store_true")


def run_export(store: VaultStore, args: argparse.Namespace) -> int:
    from server_api.workflows.archive_export import export_collection

    report = export_collection(store, args.collection, args.archive)
    if args.json:
        print_json({"archive": report.path, "textures": report.textures, "versions": report.versions,
                    "blobs": report.blobs, "bytes": report.bytes})
    else:
        print(f"exported {report.textures} textures, {report.versions} versions ({report.blobs} distinct "
              f"files, {human_size(report.bytes)}) to {report.path}")
    return 0


def run_import_archive(store: VaultStore, args: argparse.Namespace) -> int:
    from server_api.workflows.archive_import import import_archive

    report = import_archive(store, args.archive, args.into)
    if args.json:
        print_json({"collection": report.collection, "textures_added": report.textures_added,
                    "versions_added": report.versions_added, "textures_unchanged": report.textures_unchanged,
                    "materials_made": report.materials_made, "problems": report.problems})
    else:
        print(f"restored into {report.collection!r}: {report.textures_added} textures and "
              f"{report.versions_added} versions added, {report.textures_unchanged} already there, "
              f"{report.materials_made} materials made")
    for problem in report.problems:
        sys.stderr.write(f"not restored: {problem}\n")
    return 1 if report.problems else 0
