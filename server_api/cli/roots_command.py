"""`vault roots`: where publishing from a vault may write on this machine, and its roots per OS.

    vault --vault URL roots list [--json]
    vault --vault URL roots set proj --windows 'P:\\proj' --linux /mnt/proj [--macos /Volumes/proj]
    vault --vault URL roots remove proj
    vault --vault URL roots allow /mnt/proj/castle       # the same as `publish --allow-path`
    vault --vault URL roots disallow /mnt/proj/castle

Kept per vault for this user (server_api.workflows.publish_roots); nothing is sent to the server.
"""

from __future__ import annotations

import argparse

from server_api.cli.output import print_json
from server_api.core.errors import VaultError


def add_roots_parser(commands) -> None:
    roots = commands.add_parser("roots", help="folders publishing may write to, and paths per OS")
    actions = roots.add_subparsers(dest="roots_command", required=True)
    listing = actions.add_parser("list", help="approved folders and roots of this vault")
    listing.add_argument("--json", action="store_true")
    setting = actions.add_parser("set", help="a root: one project folder's path on each OS")
    setting.add_argument("name")
    for system in ("windows", "linux", "macos"):
        setting.add_argument(f"--{system}", default="", metavar="PATH", help=f"the folder on {system}")
    actions.add_parser("remove", help="forget a root").add_argument("name")
    actions.add_parser("allow", help="approve a folder for publishing").add_argument("folder")
    actions.add_parser("disallow", help="withdraw a folder's approval").add_argument("folder")


def run_roots(vault_uri: str, args: argparse.Namespace) -> int:
    from server_api.workflows.publish_roots import PublishRoots, this_system

    roots = PublishRoots.load(vault_uri)
    action = args.roots_command
    if action == "list":
        if args.json:
            print_json({"vault": vault_uri, "system": this_system(), "approved": roots.approved,
                        "roots": roots.roots})
            return 0
        print(f"publishing from {vault_uri} may write into:")
        print("\n".join(f"  {folder}" for folder in roots.approved) or "  (no folder approved yet)")
        for name, paths in sorted(roots.roots.items()):
            print(f"root {name}: " + ", ".join(f"{system} {path}" for system, path in sorted(paths.items())))
    elif action == "set":
        roots.set_root(args.name, {"windows": args.windows, "linux": args.linux, "macos": args.macos})
        print(f"root {args.name} set")
    elif action == "remove":
        if not roots.remove_root(args.name):
            raise VaultError("not_found", f"no root named {args.name!r} for {vault_uri}")
        print(f"root {args.name} removed")
    elif action == "allow":
        print(f"approved {roots.approve(args.folder)} for publishing from {vault_uri}")
    elif not roots.disallow(args.folder):
        raise VaultError("not_found", f"{args.folder} is not an approved folder of {vault_uri}")
    else:
        print(f"{args.folder} is no longer approved")
    return 0
