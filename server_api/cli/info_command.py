"""`vault info TEXTURE_ID [--json]`: the current version's metadata with what its pixels say —
colour space (and why) and seam score per axis — and its QA findings. Decodes the whole picture.

    {"texture": {...texture fields...}, "version": {...version fields...},
     "colour_space": "srgb|linear|unknown", "colour_space_why": "...", "seam": {"x": 1.0, "y": 1.0},
     "qa": [{"rule": "power_of_two", "level": "error", "message": "not power of two (1000x512)"}]}

``colour_space`` is the STORED one (what import decided or a user set); ``colour_space_why`` says
what the file and its name say, and names an override when the two differ.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from server_api.cli.output import print_json, texture_json, version_json
from server_api.store.base import VaultStore

COMMANDS = ("info",)


def add_commands(commands) -> None:
    info = commands.add_parser("info", help="a texture's current version: metadata, colour space, seam score")
    info.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    info.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    from server_api.imaging.colour import ColourSpace
    from server_api.imaging.seams import VISIBLE_SEAM
    from server_api.workflows.version_pixels import measure_version

    texture = store.get_texture(args.texture_id)
    version = texture.current
    measured = measure_version(store, version.id, texture.name)
    seam = {"x": round(measured.seam.x, 3), "y": round(measured.seam.y, 3)}
    why = measured.colour.why
    if measured.colour.space != version.colour_space:
        why = f"set by a user (the file and its name say {measured.colour.space}: {why})"
    if args.json:
        print_json({"texture": texture_json(texture), "version": version_json(version),
                    "colour_space": version.colour_space, "colour_space_why": why, "seam": seam,
                    "qa": [asdict(f) for f in version.qa]})
        return 0
    verdict = "visible seam" if measured.seam.worst() >= VISIBLE_SEAM else "tiles cleanly"
    print(f"{texture.name} (texture {texture.id}) v{version.number}: {version.width}x{version.height} "
          f"{version.format} {version.bit_depth}-bit {version.mode}")
    print(f"colour space: {ColourSpace(version.colour_space, why).label()}")
    print(f"seam score: x {seam['x']:.2f}, y {seam['y']:.2f} ({verdict}; ~1 seamless, "
          f">= {VISIBLE_SEAM:g} visible)")
    for finding in version.qa:
        print(f"QA {finding.level}: {finding.message} [{finding.rule}]")
    return 0
