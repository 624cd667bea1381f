"""`vault colour-space VERSION_ID srgb|linear|unknown [--json]`: override the colour space import
decided for one version (write level). The stored value shows in `vault versions` and the details panel."""

from __future__ import annotations

import argparse

from server_api.cli.output import print_json, version_json
from server_api.imaging.colour import COLOUR_SPACES
from server_api.store.base import VaultStore

COMMANDS = ("colour-space",)


def add_commands(commands) -> None:
    colour = commands.add_parser("colour-space", help="set a version's colour space (srgb, linear, unknown)")
    colour.add_argument("version_id", type=int, metavar="VERSION_ID")
    colour.add_argument("colour_space", choices=COLOUR_SPACES)
    colour.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    version = store.set_colour_space(args.version_id, args.colour_space)
    if args.json:
        print_json(version_json(version))
    else:
        print(f"v{version.number} (id {version.id}) of texture {version.texture_id}: colour space "
              f"{version.colour_space}")
    return 0
