"""THE import decision: what bringing a file into a collection does. One pure rule, used by the CLI,
the batched SQL import, the upload pane (its plan) and the server's import route.

1. The file's path is a texture's original path → a new version of it, or "unchanged" when its
   current version holds the same bytes.
2. Otherwise the bytes are already in this collection (some texture's current version) →
   "unchanged: already in the vault as <name> v<n>".
3. Otherwise → added; bytes that are also in other collections the caller can read are named in
   the result's note, so nobody adds a duplicate without a word.

Lives in store/ (not workflows/) because both faces' write paths apply it inside the store.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass

from server_api.content.local_file import path_problem
from server_api.core.errors import VaultError
from server_api.store.entities import ImportResult

log = logging.getLogger("server_api.import")


@dataclass(frozen=True)
class Known:
    """A texture the decision looks at, and its current version."""

    texture_id: int
    name: str
    sha256: str
    number: int
    collection: str = ""  # its collection's name (for textures in other collections)
    format: str | None = None  # the current version's, for results that name it
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Decision:
    action: str  # "add" | "version" | "unchanged"
    texture: Known | None = None  # versioned, or already holding the bytes
    elsewhere: tuple[Known, ...] = ()  # for "add": the same bytes in other collections

    @property
    def note(self) -> str | None:
        """What the result says besides its status (None when there is nothing to add)."""
        if self.action == "unchanged" and self.texture is not None:
            return f"already in the vault as {self.texture.name} v{self.texture.number}"
        if self.action == "add" and self.elsewhere:
            places = ", ".join(f"{k.name} in {k.collection!r}" for k in self.elsewhere[:3])
            more = f" and {len(self.elsewhere) - 3} more" if len(self.elsewhere) > 3 else ""
            return f"the same bytes are also {places}{more}"
        return None


def decide(sha256: str, at_path: Known | None, same_bytes: Known | None,
           elsewhere: Sequence[Known] = ()) -> Decision:
    """``at_path``: the texture whose original path is the file's; ``same_bytes``: one in this
    collection whose current version has ``sha256``; ``elsewhere``: ones in other collections."""
    if at_path is not None:
        return Decision("unchanged" if at_path.sha256 == sha256 else "version", at_path)
    if same_bytes is not None:
        return Decision("unchanged", same_bytes)
    return Decision("add", None, tuple(elsewhere))


STATUS_OF_ACTION = {"add": "added", "version": "new_version", "unchanged": "unchanged"}


def rejected(path: str, exc: VaultError | OSError) -> ImportResult:
    """A "rejected" result whose error names the file and the reason."""
    problem = exc if isinstance(exc, VaultError) else path_problem(path, exc)
    return ImportResult(path=path, status="rejected", error=problem.message, error_code=problem.code)


def unexpected(path: str, exc: BaseException) -> ImportResult:
    """A bug (ours or a library's), not a bad file: the traceback goes to the log, the file gets a
    "rejected" verdict that says so, and the rest of the import goes on."""
    log.error("importing %s failed unexpectedly", path, exc_info=exc)
    return ImportResult(path=path, status="rejected", error=f"{os.path.basename(path)}: could not be "
                        f"imported: unexpected {type(exc).__name__} (details in the log)")
