"""Where a publish may write on this machine, decided by the local user, never by the vault's data.

A texture's original path is whatever its uploader sent: on a shared server a collaborator can name
``/home/lead/.ssh/authorized_keys`` or ``../../..``. So a publish writes only
- inside a folder this user approved for this vault (``vault publish --allow-path DIR``, or the
  desktop's question showing the full path), after resolving symlinks,
- through no ``..`` and into no hidden folder (a name starting with "."),
- onto a file named like an image of an accepted format.

Roots (production trackers' name for them) translate paths between machines: a root is one project
folder's path on each OS (``P:\\proj`` on Windows, ``/mnt/proj`` on Linux, ``/Volumes/proj`` on
macOS), so a texture uploaded from Windows publishes to the right place on Linux.

Both are kept per vault (its folder or server URL) in ``publish_roots.json`` in the user's config
folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from server_api.content.private_json import read_json_object, write_json_object
from server_api.core import appdirs
from server_api.core.errors import VaultError
from server_api.imaging.formats import has_image_suffix

ROOTS_FILE = "publish_roots.json"
SYSTEMS = ("windows", "linux", "macos")


def this_system() -> str:
    return "windows" if os.name == "nt" else "macos" if sys.platform == "darwin" else "linux"


class PublishNotApproved(VaultError):
    """The target is outside every folder approved for this vault: ask the user (GUI) or name
    ``--allow-path`` (CLI). ``folder`` is the one to approve for this publish."""

    def __init__(self, target: Path, folder: Path):
        super().__init__("permission_denied", f"{target} is outside the folders approved for publishing "
                         f"from this vault; approve {folder} (vault publish --allow-path {folder}) to "
                         "write there")
        self.target, self.folder = target, folder


@dataclass
class PublishRoots:
    """The approved folders and the roots of one vault, for this user."""

    vault: str
    approved: list[str] = field(default_factory=list)
    roots: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> system -> path
    file: Path | None = None

    @classmethod
    def load(cls, vault: str, config_dir: Path | None = None) -> PublishRoots:
        file = (config_dir or appdirs.config_dir()) / ROOTS_FILE
        entry = _read(file).get(_vault_key(vault), {})
        return cls(vault, [str(p) for p in entry.get("approved", [])],
                   {str(k): dict(v) for k, v in entry.get("roots", {}).items()}, file)

    def save(self) -> None:
        assert self.file is not None, "load() a PublishRoots before saving it"
        everything = _read(self.file)
        everything[_vault_key(self.vault)] = {"approved": self.approved, "roots": self.roots}
        write_json_object(self.file, everything)

    # ---- changing them ----------------------------------------------------------------------
    def approve(self, folder: str | os.PathLike[str]) -> Path:
        """Allow publishes into ``folder`` and below (an existing, visible folder); saved."""
        path = Path(folder).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        if ".." in path.parts:
            raise VaultError("invalid_argument", f"name the folder to approve without '..': {folder}")
        resolved = Path(os.path.realpath(path))
        if not resolved.is_dir():
            raise VaultError("invalid_argument", f"cannot approve {folder}: no such folder")
        _refuse_hidden(resolved, f"cannot approve {resolved}")
        if str(resolved) not in self.approved:
            self.approved.append(str(resolved))
            self.save()
        return resolved

    def disallow(self, folder: str) -> bool:
        resolved = str(Path(os.path.realpath(Path(folder).expanduser())))
        if resolved not in self.approved:
            return False
        self.approved.remove(resolved)
        self.save()
        return True

    def set_root(self, name: str, paths: dict[str, str]) -> None:
        """A root: one folder's path on each system (at least two, to translate anything)."""
        name = name.strip()
        given = {system: p.strip() for system, p in paths.items() if p and p.strip()}
        if not name or set(given) - set(SYSTEMS) or len(given) < 2:
            raise VaultError("invalid_argument", "a root needs a name and its path on at least two of "
                             f"{', '.join(SYSTEMS)}")
        for system, path in given.items():
            if not _pure(system, path).is_absolute():
                raise VaultError("invalid_argument",
                                 f"root {name!r}: {path!r} is not an absolute {system} path")
        self.roots[name] = given
        self.save()

    def remove_root(self, name: str) -> bool:
        found = self.roots.pop(name, None) is not None
        if found:
            self.save()
        return found

    # ---- using them -------------------------------------------------------------------------
    def local_path(self, original_path: str) -> Path:
        """The original path as it lies on this machine: a root's prefix from another system is
        swapped for this system's path of the same root."""
        here = this_system()
        for paths in self.roots.values():
            local = paths.get(here)
            if not local:
                continue
            for system, prefix in paths.items():
                rest = _below(system, prefix, original_path)
                if rest is not None:
                    return Path(local).joinpath(*rest)
        return Path(original_path)

    def checked_target(self, original_path: str) -> Path:
        """Where a publish of ``original_path`` writes on this machine (symlinks resolved), or a
        VaultError naming why it may not: "invalid_argument", or PublishNotApproved."""
        target = self.local_path(original_path)
        if not target.is_absolute():
            raise VaultError("invalid_argument", f"cannot publish to {original_path!r}: not an absolute "
                             "path on this machine (add a root: vault roots set)")
        if ".." in target.parts or ".." in _pure("windows", original_path).parts:
            raise VaultError("invalid_argument", f"cannot publish to {original_path!r}: it goes through '..'")
        if not has_image_suffix(target.name):
            raise VaultError("invalid_argument", f"cannot publish to {target}: not an image file name")
        resolved = Path(os.path.realpath(target))
        _refuse_hidden(target, f"cannot publish to {target}")
        _refuse_hidden(resolved, f"cannot publish to {target} (it leads to {resolved})")
        if not any(resolved.is_relative_to(folder) for folder in self.approved):
            raise PublishNotApproved(resolved, resolved.parent)
        return resolved


def _refuse_hidden(path: Path, what: str) -> None:
    hidden = [part for part in path.parts[1:] if part.startswith(".")]
    if hidden:
        raise VaultError("invalid_argument", f"{what}: {hidden[0]!r} is a hidden folder or file")


def _pure(system: str, path: str) -> PurePosixPath | PureWindowsPath:
    return PureWindowsPath(path) if system == "windows" else PurePosixPath(path)


def _below(system: str, prefix: str, path: str) -> tuple[str, ...] | None:
    """The parts of ``path`` under ``prefix`` (a root's path on ``system``), or None."""
    root, candidate = _pure(system, prefix), _pure(system, path)
    if system == "windows" and "\\" not in path and ":" not in path:
        return None  # a POSIX path is never under a Windows root
    if system != "windows" and not path.startswith("/"):
        return None
    if system == "windows":
        root_parts = [p.lower() for p in root.parts]
        parts = [p.lower() for p in candidate.parts]
    else:
        root_parts, parts = list(root.parts), list(candidate.parts)
    if len(parts) <= len(root_parts) or parts[: len(root_parts)] != root_parts:
        return None
    return tuple(candidate.parts[len(root_parts):])


def _vault_key(vault: str) -> str:
    return str(vault).strip().rstrip("/\\")


def _read(file: Path) -> dict:
    return read_json_object(file, "publish roots")
