"""``vault-server webhooks add|list|remove|deliveries``: webhooks straight in the server's database,
acting as a server admin (the same rules as POST/GET/DELETE /api/v1/webhooks).

    vault-server webhooks add URL [--kind KIND ...] [--secret S] --data DIR   # prints the secret once
    vault-server webhooks list --data DIR [--json]
    vault-server webhooks remove ID --data DIR
    vault-server webhooks deliveries ID --data DIR [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from server_api.core.settings import settings
from server_api.store import codec
from server_api.store.change_kinds import CHANGE_KINDS


def add_webhook_commands(commands) -> None:
    hooks = commands.add_parser("webhooks",
                                help="POST the change feed to URLs: add, list, remove, deliveries")
    actions = hooks.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="register a URL (http/https) for change kinds (default: all)")
    add.add_argument("url")
    add.add_argument("--kind", action="append", default=[], metavar="KIND",
                     help="a change kind, or a prefix like material_* (repeatable): "
                          + ", ".join(CHANGE_KINDS))
    add.add_argument("--secret", help="the HMAC key (16-128 characters); default a random one")
    listing = actions.add_parser("list", help="the registered webhooks")
    remove = actions.add_parser("remove", help="stop delivering to a webhook (its log goes too)")
    remove.add_argument("id", type=int)
    log = actions.add_parser("deliveries", help="a webhook's delivery log, newest first")
    log.add_argument("id", type=int)
    log.add_argument("--limit", type=int, default=50)
    for parser in (add, listing, remove, log):
        parser.add_argument("--data", required=True, type=Path, help="the server's data folder")
        parser.add_argument("--json", action="store_true", help="JSON instead of text")
        parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from server_api.cli.server_admin import acting_admin
    from server_api.store.sql.opening import open_server_store

    root = open_server_store(settings(), args.data)
    try:
        store = acting_admin(root)
        if args.action == "add":
            hook = store.add_webhook(args.url, args.kind, args.secret)
            _print(args, hook, f"webhook {hook.id}: {hook.url} ({', '.join(hook.kinds) or 'every kind'})\n"
                               f"secret (shown once): {hook.secret}")
        elif args.action == "list":
            hooks = store.list_webhooks()
            _print(args, hooks, "\n".join(f"{h.id}\t{h.url}\t{','.join(h.kinds) or '*'}\t{h.created_by}"
                                          for h in hooks) or "no webhooks")
        elif args.action == "remove":
            store.remove_webhook(args.id)
            _print(args, {"removed": args.id}, f"removed webhook {args.id}")
        else:
            log = store.webhook_deliveries(args.id, limit=args.limit)
            _print(args, log, "\n".join(
                f"{d.id}\t{d.status}\t{d.kind}\tcursor {d.cursor}\t{d.attempts} attempts\t"
                f"{d.response_status or '-'}\t{d.last_error}" for d in log) or "no deliveries yet")
    finally:
        root.close()
    return 0


def _print(args, value, text: str) -> None:
    print(json.dumps(codec.encode(value), indent=2) if args.json else text)
