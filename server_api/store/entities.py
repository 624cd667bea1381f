"""Plain, frozen values that cross the store interface (never ORM rows, safe across threads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

# Defined by the imaging layer below (which cannot import the store); it crosses the interface too.
from server_api.imaging.info import ImageInfo as ImageInfo

T = TypeVar("T")

# Access levels in rising order; "owner" is never granted, it is the collection's creator.
LEVELS: tuple[str, ...] = ("read", "write", "admin", "owner")
GRANTABLE_LEVELS: tuple[str, ...] = ("read", "write", "admin")
SORT_KEYS: tuple[str, ...] = ("name", "date", "size", "rank")
IMPORT_STATUSES: tuple[str, ...] = ("added", "new_version", "unchanged", "rejected")


def level_rank(level: str | None) -> int:
    """0 for no access, then 1..4 for read..owner."""
    return LEVELS.index(level) + 1 if level in LEVELS else 0


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    is_admin: bool | None  # None: not shown (only server admins see others' roles)
    is_active: bool
    created_at: datetime


@dataclass(frozen=True)
class Collection:
    id: int
    name: str
    description: str
    owner: str  # username of the owner
    created_at: datetime
    texture_count: int
    my_level: str  # the caller's level: read | write | admin | owner
    shared: bool  # True when anyone besides the owner has a grant


@dataclass(frozen=True)
class QaFinding:
    """One QA rule a version breaks (store/qa_rules.py): ``level`` is warning | error."""

    rule: str  # the rule's key: power_of_two, max_side, bit_depth.height ...
    level: str
    message: str  # "not power of two (1000x512)", "sRGB profile on a normal map"


@dataclass(frozen=True)
class Version:
    id: int
    texture_id: int
    number: int  # 1, 2, 3 ... contiguous per texture
    sha256: str
    byte_size: int
    format: str
    width: int
    height: int
    mode: str
    bit_depth: int
    has_alpha: bool
    has_icc: bool
    orientation: int | None
    note: str
    created_by: str  # username
    created_at: datetime
    is_current: bool
    published_at: datetime | None  # the last time this version was published, None if never
    colour_space: str = "unknown"  # srgb | linear | unknown: decided at import, the user may override
    qa: tuple[QaFinding, ...] = ()  # the collection's QA rules this version breaks (empty: none set/broken)
    qa_warnings: int = 0
    qa_errors: int = 0
    trashed_at: datetime | None = None  # in the version trash since (retention, store/retention_api.py)


@dataclass(frozen=True)
class Texture:
    id: int
    collection_id: int
    name: str  # display name, from the original file name
    original_path: str  # where publish writes; the artist's path on their own disk
    created_at: datetime
    updated_at: datetime  # when the current version last changed
    version_count: int
    current: Version  # the current version, with its metadata
    published_version_id: int | None  # the version last published, None if never
    deleted_at: datetime | None = None  # set while the texture is in the trash
    tags: tuple[str, ...] = ()  # by name; filled in listings and searches (tag chips on tiles)
    # On a page sorted by rank: how far from what the query's similar:/colour: term asked for (hash
    # bits, or ΔE of the nearest dominant colour); None elsewhere.
    distance: float | None = None


@dataclass(frozen=True)
class Grant:
    collection_id: int
    username: str
    level: str  # read | write | admin | owner (the owner shows as a grant that cannot change)
    granted_by: str | None
    granted_at: datetime


@dataclass(frozen=True)
class AuditEvent:
    id: int
    collection_id: int | None
    texture_id: int | None
    version_id: int | None
    actor: str  # username
    action: str  # share | revoke | publish | set_current | delete_texture | delete_collection | ...
    detail: str  # one human sentence: "granted write to bob", "published v3 to /x/y.png"
    created_at: datetime


@dataclass(frozen=True)
class StorageUsage:
    collection_id: int
    collection_name: str
    owner: str
    texture_count: int
    version_count: int
    byte_size: int  # sum of version sizes (identical bytes counted per version)
    # retention (store/retention_api.py): bytes no other collection's versions name, the policy, and
    # what that policy (or the keep-last asked for) would move to the version trash and free
    unique_bytes: int = 0
    keep_last: int | None = None
    would_trash_versions: int = 0
    would_trash_bytes: int = 0
    would_free_bytes: int = 0


@dataclass(frozen=True)
class TextureQuery:
    """Filter and sort for textures; all of it runs in the store (SQL), never in Python.

    ``text`` is the query language (store/query: free words match names, ``tag:wood``,
    ``format:png,tga``, ``size:>=2048``, ``-wip``, ``OR``, parentheses); blank matches everything.
    ``sort="rank"``: nearest first to the query's ``similar:ID`` or ``colour:`` term (name order
    when it has none), each texture carrying its ``distance``."""

    text: str = ""
    sort: Literal["name", "date", "size", "rank"] = "name"
    descending: bool = False


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next: str | None = None  # opaque keyset cursor for the next page; None at the end


@dataclass(frozen=True)
class ImportResult:
    """One input file's outcome; the CLI prints these fields as JSON (all but ``error_code``)."""

    path: str
    status: str  # added | new_version | unchanged | rejected
    texture_id: int | None = None
    version: int | None = None
    format: str | None = None
    width: int | None = None
    height: int | None = None
    error: str | None = None
    note: str | None = None  # "already in the vault as X v1", "the same bytes are also Y in 'Props'"
    qa: tuple[QaFinding, ...] = ()  # the QA rules the imported version breaks (store/qa_rules.py)
    # The VaultError code behind ``error``: a refusal that is not the file's fault (permission_denied,
    # unavailable) is retryable in the upload pane, a bad file is not.
    error_code: str | None = None


@dataclass(frozen=True)
class PublishResult:
    texture_id: int
    version: Version  # the version whose bytes are now at the path
    path: str
    kept_version: Version | None = None  # the replaced file's bytes, saved as a version first


# ---- the change feed (issue 16; store/change_api.py) --------------------------------------------
@dataclass(frozen=True)
class Change:
    """One write, as the change feed hands it out. ``cursor`` is the audit event's id: ids are handed
    out in commit order (store/sql/change_log.py), so "everything after N" never skips a late commit."""

    cursor: int
    kind: str  # one of change_kinds.CHANGE_KINDS
    collection_id: int | None  # None: a vault-wide change (the tag vocabulary)
    texture_id: int | None
    version_id: int | None
    material_id: int | None
    actor: str  # username
    at: datetime
    detail: dict  # {"action": the audit action, "text": the one human sentence}


@dataclass(frozen=True)
class ChangePage:
    items: tuple[Change, ...]
    cursor: int  # pass it back as ``since``: every change up to it has been seen (items or not)
    more: bool  # True when changes past ``cursor`` are already there (ask again at once)
