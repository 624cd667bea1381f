"""`vault changes [--since N] [--follow] [--json]`: the change feed (every write you may read, in
commit order), from a local vault or a server.

    vault changes                    # everything so far, oldest first, one line each
    vault changes --since 120        # only what came after cursor 120
    vault changes --follow           # from now on, as it happens (a server streams it; Ctrl-C stops)
    vault changes --follow --json    # one JSON object per line: pipe it into a script

Each line starts with the change's cursor: pass the last one to --since to carry on later.
"""

from __future__ import annotations

import argparse
import json

from server_api.store import codec
from server_api.store.base import VaultStore
from server_api.store.entities import Change

COMMANDS = ("changes",)


def add_commands(commands) -> None:
    changes = commands.add_parser("changes", help="the change feed: what happened, in order (--follow: live)")
    changes.add_argument("--since", type=int, default=None, metavar="CURSOR",
                         help="only changes after this cursor (default: all; with --follow: from now)")
    changes.add_argument("--follow", action="store_true", help="keep printing changes as they happen")
    changes.add_argument("--json", action="store_true", help="one JSON object per line")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    since = args.since
    if args.follow:
        for change in store.stream_changes(store.latest_cursor() if since is None else since):
            if change is not None:
                _print(change, args.json)
        return 0  # pragma: no cover (follows until interrupted)
    cursor = since or 0
    while True:
        page = store.changes(cursor)
        for change in page.items:
            _print(change, args.json)
        cursor = page.cursor
        if not page.more:
            return 0


def _print(change: Change, as_json: bool) -> None:
    if as_json:
        print(json.dumps(codec.encode(change)), flush=True)
        return
    where = f"collection {change.collection_id}" if change.collection_id is not None else "vault"
    print(f"{change.cursor}\t{change.at:%Y-%m-%d %H:%M:%S}\t{change.actor}\t{change.kind}\t{where}\t"
          f"{change.detail.get('text', '')}", flush=True)
