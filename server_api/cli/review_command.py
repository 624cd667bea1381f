"""Review from the command line (issue 16):
  vault comment VERSION_ID "text" [--region x,y,w,h]    comment (read level), on a region if given
  vault comment-edit COMMENT_ID "text" / comment-delete COMMENT_ID
  vault comments TEXTURE_ID | --version V [--json]     the texture's (or one version's) comments
  vault review VERSION_ID needs_review|approved|changes_requested   (admin level)
  vault review-required COLLECTION on|off               new versions start as needs_review
  vault notifications [--read] [--json]                 yours, newest first; --read marks them read
"""

from __future__ import annotations

import argparse

from server_api.cli.output import print_json
from server_api.store import codec
from server_api.store.base import VaultStore
from server_api.store.review_entities import REVIEW_STATUSES, Comment, Region

COMMANDS = ("comment", "comment-edit", "comment-delete", "comments", "review", "review-required",
            "notifications")


def _region(text: str) -> Region:
    parts = text.split(",")
    try:
        x, y, w, h = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a region is four fractions x,y,w,h of the image, like 0.1,0.2,0.3,0.25; not {text!r}") from None
    return Region(x, y, w, h)


def add_commands(commands) -> None:
    comment = commands.add_parser("comment", help="comment on a version, or a region of its image")
    comment.add_argument("version_id", type=int, metavar="VERSION_ID")
    comment.add_argument("text")
    comment.add_argument("--region", type=_region, metavar="X,Y,W,H",
                         help="fractions of the image from its top left, e.g. 0.1,0.2,0.3,0.25")
    comment.add_argument("--json", action="store_true")
    edit = commands.add_parser("comment-edit", help="new text for your comment")
    edit.add_argument("comment_id", type=int, metavar="COMMENT_ID")
    edit.add_argument("text")
    edit.add_argument("--json", action="store_true")
    remove = commands.add_parser("comment-delete", help="delete your comment (admins: any)")
    remove.add_argument("comment_id", type=int, metavar="COMMENT_ID")
    listing = commands.add_parser("comments", help="a texture's comments, every version (or one)")
    which = listing.add_mutually_exclusive_group(required=True)
    which.add_argument("texture_id", type=int, nargs="?", metavar="TEXTURE_ID")
    which.add_argument("--version", type=int, metavar="VERSION_ID")
    listing.add_argument("--json", action="store_true")
    review = commands.add_parser("review", help="set a version's review status (admin level)")
    review.add_argument("version_id", type=int, metavar="VERSION_ID")
    review.add_argument("status", choices=REVIEW_STATUSES)
    required = commands.add_parser("review-required", help="new versions in the collection need review")
    required.add_argument("collection", metavar="COLLECTION")
    required.add_argument("setting", choices=("on", "off"))
    notes = commands.add_parser("notifications", help="comments, reviews and versions on your textures")
    notes.add_argument("--read", action="store_true", help="then mark them all read")
    notes.add_argument("--limit", type=int, default=50)
    notes.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    command = args.command
    if command in ("comment", "comment-edit"):
        made = (store.add_comment(args.version_id, args.text, args.region) if command == "comment"
                else store.edit_comment(args.comment_id, args.text))
        print_json(codec.encode(made)) if args.json else print(comment_line(made))
    elif command == "comment-delete":
        store.delete_comment(args.comment_id)
        print(f"deleted comment {args.comment_id}")
    elif command == "comments":
        found = (store.list_comments(args.version) if args.version is not None
                 else store.texture_comments(args.texture_id))
        if args.json:
            print_json([codec.encode(c) for c in found])
        else:
            print("\n".join(comment_line(c) for c in found) if found else "no comments")
    elif command == "review":
        state = store.set_review_status(args.version_id, args.status)
        print(f"version {state.version_id}: {state.status} (set by {state.set_by})")
    elif command == "review-required":
        collection = store.find_collection(args.collection)
        on = store.set_review_required(collection.id, args.setting == "on")
        print(f"{collection.name}: review {'required: new versions start as needs_review' if on else 'off'}")
    else:
        return _notifications(store, args)
    return 0


def _notifications(store: VaultStore, args: argparse.Namespace) -> int:
    seen = store.notifications(args.limit)
    if args.json:
        print_json(codec.encode(seen))
    else:
        for n in seen.items:
            print(f"{'*' if n.unread else ' '} {n.created_at:%Y-%m-%d %H:%M} {n.actor}: {n.detail}")
        print(f"{seen.unread} unread")
    if args.read and seen.items:
        store.mark_notifications_read(seen.items[0].cursor)
    return 0


def comment_line(c: Comment) -> str:
    where = f" [{c.region.x:.2f},{c.region.y:.2f} {c.region.w:.2f}x{c.region.h:.2f}]" if c.region else ""
    edited = " (edited)" if c.edited_at else ""
    return f"#{c.id} v{c.version_number} {c.author} {c.created_at:%Y-%m-%d %H:%M}{where}{edited}: {c.text}"
