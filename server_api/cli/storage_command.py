"""`vault-server storage --data DIR [--json] [--keep-last N]` (issue 15): per collection, its versions,
the bytes it stores, the bytes only it uses, its retention policy and what that policy (or N, for
every collection) would move to the version trash and free. A preview: it applies nothing; a
collection's admins set a policy with `vault retention` or the admin dialog's Storage tab.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from server_api.core.settings import settings
from server_api.core.units import human_size


def add_storage_command(commands) -> None:
    storage = commands.add_parser("storage", help="bytes per collection and what a retention policy would "
                                  "free (a preview)")
    storage.add_argument("--data", required=True, type=Path, help="the server's data folder")
    storage.add_argument("--keep-last", type=int, metavar="N",
                         help="preview keeping the last N versions in every collection (default: each "
                              "collection's own policy)")
    storage.add_argument("--json", action="store_true", help="one JSON list, a row per collection")
    storage.set_defaults(run=_storage)


def _storage(args) -> int:
    from server_api.cli.server_admin import acting_admin
    from server_api.store.sql.opening import open_server_store

    root = open_server_store(settings(), args.data)
    try:
        usage = acting_admin(root).storage_usage(args.keep_last)
    finally:
        root.close()
    if args.json:
        print(json.dumps([asdict(u) for u in usage], indent=2))
        return 0
    print(table(usage, args.keep_last))
    return 0


def table(usage, keep_last: int | None) -> str:
    heads = ("collection", "owner", "versions", "stored", "only here", "policy", "would trash", "would free")
    rows = [(u.collection_name, u.owner, f"{u.version_count:,}", human_size(u.byte_size),
             human_size(u.unique_bytes), f"keep {u.keep_last}" if u.keep_last else "keep all",
             _would(u), human_size(u.would_free_bytes) if u.would_trash_versions else "-") for u in usage]
    widths = [max(len(str(r[i])) for r in [heads, *rows]) for i in range(len(heads))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [heads, *rows]]
    asked = (f"what keeping the last {keep_last} versions would do" if keep_last
             else "what each collection's own policy would do")
    return "\n".join(lines + [f"({asked} now; nothing was changed)"])


def _would(u) -> str:
    if not u.would_trash_versions:
        return "-"
    return f"{u.would_trash_versions:,} ({human_size(u.would_trash_bytes)})"
