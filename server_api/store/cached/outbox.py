"""The offline queue: writes made while the server was away, kept durably and replayed in order.

A queued upload's bytes are copied into the cache folder first (fsync'd), then its row is committed,
so quitting, a crash or a reboot loses nothing. Each entry carries the idempotency key it will be
sent with; replaying an entry the server already took (the app died before noting it) returns
what the first attempt made, never a second copy. Entries replay strictly in the order they were
queued; one the server refuses (the texture was deleted meanwhile ...) is marked failed with the
server's reason and the rest go on; an unreachable server stops the replay, the rest stay pending.

Comments too: each gets its key when it is first sent or queued (CachedRemoteStore.add_comment), and
the server keeps it (version_comment.idempotency_key), so a replay after a lost answer is answered
with the comment that landed. Two equal comments queued one after the other have two keys: two stay.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server_api.content.durable import atomic_writer
from server_api.content.source import Source
from server_api.core.errors import VaultError
from server_api.store import codec
from server_api.store.base import VaultStore
from server_api.store.cached.cache_db import CacheDb
from server_api.store.entities import ImportResult, Texture, Version
from server_api.store.review_entities import Region

# what may wait for the server: the call's name on VaultStore -> does it carry a file
QUEUED_CALLS = {"import_source": True, "add_texture": True, "add_version": True, "tag_textures": False,
                "add_comment": False}


@dataclass(frozen=True)
class Pending:
    seq: int
    kind: str  # import_source | add_texture | add_version | tag_textures
    what: str  # one line a person reads: "upload wall.png into collection 3"
    state: str  # pending | done | failed
    outcome: str  # after replay: "landed as v6 after rita's v5", the server's refusal ...
    queued_at: float


class Outbox:
    def __init__(self, cache: CacheDb):
        self.cache = cache
        self.folder = cache.folder / "outbox"

    def add(self, kind: str, args: dict[str, Any], source: Source | None = None,
            upload_key: str | None = None) -> Pending:
        """Keep the call (and a copy of its file) for later; returns the entry."""
        key = upload_key or uuid.uuid4().hex
        stored = None
        if QUEUED_CALLS[kind]:
            stored = self.folder / f"{key}{_suffix(source)}"
            with atomic_writer(stored) as out:  # durable: this copy is the only one we may have
                _copy_into(source, out)
        rows = self.cache.run("INSERT INTO outbox (kind, args, file, upload_key, queued_at) VALUES "
                              "(?, ?, ?, ?, ?) RETURNING seq",
                              (kind, json.dumps(args), stored and stored.name, key, time.time()))
        if not rows:
            raise VaultError("unavailable", "this server connection was closed: nothing was queued")
        return self.entry(rows[0][0])

    def entry(self, seq: int) -> Pending:
        rows = self.cache.run("SELECT seq, kind, args, state, outcome, queued_at FROM outbox WHERE seq = ?",
                              (seq,))
        return _pending(rows[0])

    def entries(self, *, only_pending: bool = False) -> list[Pending]:
        sql = "SELECT seq, kind, args, state, outcome, queued_at FROM outbox"
        sql += " WHERE state = 'pending'" if only_pending else ""
        return [_pending(row) for row in self.cache.run(sql + " ORDER BY seq")]

    def pending_count(self) -> int:
        return self.cache.run("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")[0][0]

    def replay(self, remote: VaultStore) -> list[Pending]:
        """Send every pending entry in order; the entries this call finished (done or failed)."""
        finished = []
        for seq, kind, args_text, file_name, key in self.cache.run(
                "SELECT seq, kind, args, file, upload_key FROM outbox WHERE state = 'pending' ORDER BY seq"):
            args = json.loads(args_text)
            try:
                outcome = self._send(remote, kind, args, file_name, key)
                state = "done"
            except VaultError as exc:
                if exc.code == "unavailable":
                    break  # gone again: this one and the rest wait for the next replay
                outcome, state = f"refused by the server: {exc.message}", "failed"
            self.cache.run("UPDATE outbox SET state = ?, outcome = ? WHERE seq = ?", (state, outcome, seq))
            if file_name:
                (self.folder / file_name).unlink(missing_ok=True)
            finished.append(self.entry(seq))
        return finished

    def _send(self, remote: VaultStore, kind: str, args: dict[str, Any], file_name: str | None,
              key: str) -> str:
        if kind == "tag_textures":
            remote.tag_textures(args["texture_ids"], add=args["add"], remove=args["remove"])
            return "tags changed"
        if kind == "add_comment":
            region = codec.decode(Region, args["region"]) if args.get("region") else None
            comment = remote.add_comment(args["version_id"], args["text"], region, key=key)
            return f"comment {comment.id} added"
        path = self.folder / (file_name or "")
        if not path.is_file():
            raise VaultError("not_found", f"the queued copy {path} is gone from the cache folder")
        if kind == "import_source":
            result: ImportResult = remote.import_source(
                args["collection_id"], path, original_path=args["original_path"], sha256=args["sha256"],
                name=args.get("name"), upload_key=key)
            if result.status == "new_version" and result.texture_id is not None:
                return landed(remote, result.texture_id, result.version)
            return f"{result.status}: {result.note or result.error or 'texture ' + str(result.texture_id)}"
        if kind == "add_texture":
            texture: Texture = remote.add_texture(
                args["collection_id"], path, original_path=args["original_path"], name=args.get("name"),
                note=args.get("note", ""), upload_key=key)
            return f"added as texture {texture.id}"
        version: Version = remote.add_version(args["texture_id"], path, note=args.get("note", ""),
                                              make_current=args.get("make_current", True), upload_key=key)
        return landed(remote, version.texture_id, version.number)


def landed(remote: VaultStore, texture_id: int, number: int | None) -> str:
    """"landed as v6 after rita's v5" when someone else's version came first, else "landed as v6"."""
    me = remote.current_user().username
    before = [v for v in remote.list_versions(texture_id) if v.number == (number or 0) - 1]
    if before and before[0].created_by != me:
        return f"your version landed as v{number} after {before[0].created_by}'s v{before[0].number}"
    return f"your version landed as v{number}"


def _pending(row: tuple) -> Pending:
    seq, kind, args_text, state, outcome, queued_at = row
    return Pending(seq, kind, describe(kind, json.loads(args_text)), state, outcome or "", queued_at)


def describe(kind: str, args: dict[str, Any]) -> str:
    if kind == "tag_textures":
        changes = " ".join([*("+" + t for t in args["add"]), *("-" + t for t in args["remove"])])
        return f"tags on {len(args['texture_ids'])} texture(s): {changes}"
    if kind == "add_comment":
        return f"comment on version {args['version_id']}: {args['text'][:40]!r}"
    if kind == "add_version":
        return f"new version of texture {args['texture_id']} from {args.get('file_name', 'a file')}"
    return f"upload {os.path.basename(args['original_path'])} into collection {args['collection_id']}"


def _suffix(source: Source | None) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).suffix.lower()[:12]
    return ""


def _copy_into(source: Source | None, out) -> None:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as f:
            shutil.copyfileobj(f, out, 1024 * 1024)
    elif source is not None:
        shutil.copyfileobj(source, out, 1024 * 1024)


def encode_args(**kwargs: Any) -> dict[str, Any]:
    return {k: codec.encode(v) for k, v in kwargs.items()}
