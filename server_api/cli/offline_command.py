"""`vault sync [--json]`: send what was queued while the server was away (uploads, new versions, tags),
in the order it was queued; and the one-line warning a command prints when it answered from the copy
of the server kept on this machine (store/cached) because the server did not answer.

    vault --vault URL sync            # "#1 done: added as texture 12" per entry; exit 1 if any failed
    vault --vault URL pending         # what waits, oldest first
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from server_api.cli.output import print_json
from server_api.core.errors import VaultError
from server_api.store.base import VaultStore

COMMANDS = ("sync", "pending")


def add_commands(commands) -> None:
    sync = commands.add_parser("sync", help="upload what was queued while the server was away (in order)")
    sync.add_argument("--json", action="store_true")
    pending = commands.add_parser("pending", help="what is queued for the server, oldest first")
    pending.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    if not hasattr(store, "outbox"):
        raise VaultError("invalid_argument", f"{args.command} is for a server URL: a vault folder has no "
                                             "offline queue")
    entries = store.sync() if args.command == "sync" else store.pending()
    if args.json:
        print_json([{"seq": e.seq, "what": e.what, "state": e.state, "outcome": e.outcome} for e in entries])
    else:
        for e in entries:
            print(f"#{e.seq} {e.state}: {e.what}" + (f" — {e.outcome}" if e.outcome else ""))
        if args.command == "sync":
            left = len(store.pending())
            print(f"sent {len(entries)}, {left} still waiting" if entries or left else "nothing was waiting")
    return 1 if any(e.state == "failed" for e in entries) else 0


def warn_if_offline(store: VaultStore) -> None:
    """One line on stderr when the answer came from the kept copy, saying how old it is."""
    if getattr(store, "offline", False):
        when = store.cached_at
        stamp = datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M") if when else "an unknown time"
        print(f"vault: {store.uri} is unreachable: showing what was cached at {stamp}", file=sys.stderr)
