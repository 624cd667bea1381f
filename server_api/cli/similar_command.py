"""`vault similar`, `vault dupes` and `vault reindex`: similar pictures from the command line (issue 14).

    vault similar TEXTURE_ID [--limit N] [--json]   [{"texture_id","name","collection","distance",
                                                     "colour_distance"}], best first
    vault dupes --collection NAME [--distance BITS] [--json]   near-duplicate groups
    vault by-colour '#8a5a2b' [--limit N] [--distance DE] [--json]   [{"texture_id","name",
                                                     "collection","delta_e","share"}], best first
    vault reindex                                   fingerprint versions imported before hashing, or
                                                    by an older recipe (a vault folder, or a server:
                                                    admins only; the server does it, in batches)
"""

from __future__ import annotations

import argparse
import sys

from server_api.cli.output import print_json, texture_json, texture_line
from server_api.core.wording import counted
from server_api.store.base import VaultStore
from server_api.store.similar_api import COLOUR_DISTANCE, DUPLICATE_DISTANCE

COMMANDS = ("similar", "dupes", "by-colour", "reindex")


def add_commands(commands) -> None:
    similar = commands.add_parser("similar", help="textures that look like one, best first, everywhere "
                                  "you can read")
    similar.add_argument("texture_id", type=int, metavar="TEXTURE_ID")
    similar.add_argument("--limit", type=int, default=20, metavar="N", help="at most N (1..500, default 20)")
    similar.add_argument("--json", action="store_true")
    dupes = commands.add_parser("dupes", help="groups of near-duplicate textures in a collection")
    dupes.add_argument("--collection", required=True, metavar="NAME")
    dupes.add_argument("--distance", type=int, default=DUPLICATE_DISTANCE, metavar="BITS",
                       help=f"how many hash bits may differ (0..15, default {DUPLICATE_DISTANCE})")
    dupes.add_argument("--json", action="store_true")
    by_colour = commands.add_parser("by-colour", help="textures with much of a colour, best first, "
                                    "everywhere you can read")
    by_colour.add_argument("colour", metavar="'#RRGGBB'")
    by_colour.add_argument("--limit", type=int, default=50, metavar="N",
                           help="at most N (1..500, default 50)")
    by_colour.add_argument("--distance", type=float, default=COLOUR_DISTANCE, metavar="DE",
                           help=f"how far (ΔE, 1..50, default {COLOUR_DISTANCE:g}) a dominant colour may be")
    by_colour.add_argument("--json", action="store_true")
    commands.add_parser("reindex", help="compute the perceptual hash and palette of versions imported "
                        "before they existed")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    if args.command == "similar":
        found = store.similar(args.texture_id, limit=args.limit)
        if args.json:
            print_json([{"texture_id": s.texture.id, "name": s.texture.name, "collection": s.collection,
                         "distance": s.distance, "colour_distance": s.colour_distance} for s in found])
        else:
            print("\n".join(f"{s.distance:>2} bits  {s.colour_distance:5.1f} ΔE  {texture_line(s.texture)}  "
                            f"{s.collection}" for s in found) or "nothing looks like it")
    elif args.command == "by-colour":
        found = store.colour_search(args.colour, limit=args.limit, distance=args.distance)
        if args.json:
            print_json([{"texture_id": m.texture.id, "name": m.texture.name, "collection": m.collection,
                         "delta_e": m.delta_e, "share": m.share} for m in found])
        else:
            print("\n".join(f"{m.delta_e:5.1f} ΔE {m.share:4.0%}  {texture_line(m.texture)}  {m.collection}"
                            for m in found) or "nothing has much of that colour")
    elif args.command == "dupes":
        groups = store.duplicates(store.find_collection(args.collection).id, distance=args.distance)
        if args.json:
            print_json([{"distance": g.distance, "textures": [{"texture_id": t.id, **texture_json(t)}
                                                              for t in g.textures]} for g in groups])
        else:
            print("\n\n".join(f"{counted(len(g.textures), 'texture')} within {g.distance} bits:\n"
                              + "\n".join("  " + texture_line(t) for t in g.textures) for g in groups)
                  or "no near-duplicates")
    else:
        return _reindex(store)
    return 0


def _reindex(store: VaultStore) -> int:
    """Batch after batch where the bytes are (the vault folder, or the server), progress on stderr."""
    done = skipped = 0
    batch = store.reindex_fingerprints()
    todo = batch.todo or 0
    while True:
        done, skipped = done + batch.done, skipped + batch.skipped
        if todo:
            print(f"fingerprinted {done + skipped} of {todo}", file=sys.stderr, flush=True)
        if batch.next is None:
            break
        batch = store.reindex_fingerprints(after=batch.next)
    print(f"fingerprinted {counted(done, 'version file')}"
          + (f"; {skipped} without a readable thumbnail (vault fsck --repair, then reindex)" if skipped
             else ""))
    return 1 if skipped else 0
