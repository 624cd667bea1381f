"""`vault retention` (issue 15): a collection's keep-last policy (store/retention_api.py).

    vault retention --collection NAME [--json]                     the policy
    vault retention --collection NAME --keep-last N --preview      what N would move to the version trash
    vault retention --collection NAME --keep-last N | --keep-all   set it (admin level) and apply it now

The version trash itself: `vault trash --versions [empty]` and `vault restore-version VERSION_ID`
(trash_command.py). `--json` prints one object: the policy, or the report of what moved/would move.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from server_api.cli.output import print_json
from server_api.core.errors import VaultError
from server_api.core.units import human_size
from server_api.core.wording import counted
from server_api.store.base import VaultStore
from server_api.store.retention_api import RetentionReport

COMMANDS = ("retention",)


def add_commands(commands) -> None:
    retention = commands.add_parser("retention", help="show, preview or set a collection's keep-last policy")
    retention.add_argument("--collection", required=True, metavar="NAME")
    policy = retention.add_mutually_exclusive_group()
    policy.add_argument("--keep-last", type=int, metavar="N",
                        help="keep each texture's last N versions (plus its current and published ones)")
    policy.add_argument("--keep-all", action="store_true", help="remove the policy: keep every version")
    retention.add_argument("--preview", action="store_true", help="say what it would do; change nothing")
    retention.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    collection = store.find_collection(args.collection)
    if args.keep_last is None and not args.keep_all:
        if args.preview:
            raise VaultError("invalid_argument", "--preview needs --keep-last N (what to preview)")
        policy = store.retention(collection.id)
        if args.json:
            print_json({"collection": collection.name, "keep_last": policy.keep_last})
        else:
            print(f"{collection.name}: " + (f"keeps the last {counted(policy.keep_last, 'version')} of each "
                                            "texture" if policy.keep_last else "keeps every version"))
        return 0
    keep_last = None if args.keep_all else args.keep_last
    report = (store.retention_preview(collection.id, keep_last) if args.preview
              else store.set_retention(collection.id, keep_last))
    if args.json:
        print_json({"collection": collection.name, **asdict(report)})
    else:
        print(report_line(collection.name, report))
    return 0


def report_line(name: str, report: RetentionReport) -> str:
    policy = f"keep the last {report.keep_last}" if report.keep_last else "keep every version"
    verb = "moved" if report.applied else "would move"
    head = f"{name}: {policy}" + ("" if report.applied else " (preview, nothing changed)")
    if not report.versions:
        return f"{head}; nothing {verb} to the version trash"
    return (f"{head}; {verb} {counted(report.versions, 'version')} of {counted(report.textures, 'texture')} "
            f"({human_size(report.byte_size)}) to the version trash; gc frees "
            f"{human_size(report.reclaimable_bytes)} once they are purged")
