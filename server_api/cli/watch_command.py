"""`vault watch --collection NAME DIR`: import what lands in DIR until stopped (Ctrl+C).

Each settled batch prints its files (the import's lines, or JSON objects with --json) and the
materials it made or changed; what the watch is doing goes to stderr (workflows/watching.py).
"""

from __future__ import annotations

import argparse
import sys
import threading

from server_api.cli.output import import_json, import_line, print_json
from server_api.store.base import VaultStore
from server_api.workflows.watching import SETTLE_SECONDS, WatchReport, watch_folder


def add_watch_parser(commands) -> None:
    watch = commands.add_parser("watch", help="import files appearing or changing in a folder, until stopped")
    watch.add_argument("--collection", required=True, metavar="NAME")
    watch.add_argument("--settle", type=float, default=SETTLE_SECONDS, metavar="SECONDS",
                       help=f"take files once unchanged this long (default {SETTLE_SECONDS:g})")
    watch.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    watch.add_argument("folder", metavar="DIR")


def run_watch(store: VaultStore, args: argparse.Namespace) -> int:
    if not args.settle > 0:
        raise SystemExit(f"vault watch: --settle must be a positive number of seconds, not {args.settle}")
    collection = store.find_collection(args.collection)

    def report(batch: WatchReport) -> None:
        for result in batch.results:
            if args.json:
                print_json(import_json(result))
            else:
                print(import_line(result))
        print(f"watch: {batch.summary()}", file=sys.stderr)
        sys.stdout.flush()

    def status(text: str) -> None:
        print(f"watch: {text}", file=sys.stderr, flush=True)

    stop = threading.Event()
    try:
        watch_folder(store, collection.id, args.folder, stop=stop, on_report=report, on_status=status,
                     settle=args.settle)
    except KeyboardInterrupt:
        stop.set()
    print("watch: stopped", file=sys.stderr)
    return 0
