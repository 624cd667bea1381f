"""One queued file and the states it moves through; plain Python, owned by the GUI thread."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

from server_api.core.errors import VaultError
from server_api.store.entities import ImageInfo, QaFinding
from server_api.store.qa_rules import counted

WAITING = "waiting"
READING = "reading metadata"
HASHING = "hashing"
THUMBNAIL = "thumbnail"
UPLOADING = "uploading"
DONE = "done"
UNCHANGED = "unchanged"
NEW_VERSION = "new version"
REJECTED = "rejected"
FAILED = "failed"
CANCELLED = "cancelled"

WORKING = (READING, HASHING, THUMBNAIL, UPLOADING)
FINISHED = (DONE, UNCHANGED, NEW_VERSION, REJECTED, FAILED, CANCELLED)
# Retrying helps a failed or cancelled file; a rejected one only once the file itself changed.
RETRYABLE = (FAILED, CANCELLED)

# How far along a file is when a phase starts; the phase's own progress fills the gap to the next.
PHASE_START = {WAITING: 0.0, READING: 0.0, HASHING: 0.05, THUMBNAIL: 0.35, UPLOADING: 0.45}
PHASE_END = {READING: 0.05, HASHING: 0.35, THUMBNAIL: 0.45, UPLOADING: 1.0}

# VaultError code -> the reason a user reads. "rejected" = the file itself is the problem.
REASONS: dict[str, tuple[str, str]] = {
    "unsupported_media": (REJECTED, "unsupported or corrupt"),
    "too_large": (REJECTED, "too large"),
    "invalid_argument": (REJECTED, "not accepted"),
    "permission_denied": (FAILED, "no permission"),
    "unauthenticated": (FAILED, "signed out"),
    "unavailable": (FAILED, "server unreachable"),
    "not_found": (FAILED, "collection not found"),
    "conflict": (FAILED, "conflict"),
    "throttled": (FAILED, "server busy"),
    "internal": (FAILED, "server error"),
}


def failure(exc: BaseException) -> tuple[str, str]:
    """(state, reason) for an error raised while reading or writing one file."""
    if isinstance(exc, VaultError):
        state, label = REASONS.get(exc.code, (FAILED, exc.code))
        said = exc.message.lower()
        if all(word in said for word in label.split()):  # "server … unreachable" says it already
            return state, exc.message
        return state, f"{label}: {exc.message}"
    if isinstance(exc, FileNotFoundError):
        return FAILED, f"file not found: {exc.filename or exc}"
    if isinstance(exc, PermissionError):
        return FAILED, f"cannot read the file: {exc.filename or exc}"
    if isinstance(exc, OSError):
        return FAILED, f"cannot read the file: {exc}"
    return FAILED, f"unexpected error: {type(exc).__name__}: {exc}"


def qa_said(findings: tuple[QaFinding, ...]) -> str:
    """"imported with 2 warnings: not power of two; sRGB profile on a normal map"."""
    errors = sum(f.level == "error" for f in findings)
    said = "; ".join(f.message for f in findings)
    return f"imported with {counted(errors, len(findings) - errors)}: {said}"


@dataclass(frozen=True)
class Plan:
    """What writing the file will do, known before anything is written."""

    action: str  # "add" | "version" | "unchanged"
    texture_id: int | None = None
    texture_name: str = ""
    next_version: int | None = None  # for "version": the number it will get; for "unchanged": current


@dataclass
class UploadRow:
    key: int  # stable id of the row (its index changes when finished rows are cleared)
    path: str
    name: str
    size: int
    store: object  # the VaultStore the file was dropped for
    collection_id: int
    tags: tuple[str, ...] = ()  # folder names to tag it with once written ("Tag with folder names")
    state: str = WAITING
    fraction: float = 0.0  # 0..1 across all phases
    info: ImageInfo | None = None
    sha256: str | None = None
    thumbnail: bytes | None = None
    plan: Plan | None = None
    texture_id: int | None = None  # the texture written, or the one already holding these bytes
    version: int | None = None
    reason: str = ""
    busy: bool = False  # a job for this row is submitted and has not reported back
    rejected_file: tuple[int, int] | None = None  # (size, mtime) of the file when it was rejected
    fixed: bool = False  # rejected, and the file changed since: worth a retry
    qa: tuple[QaFinding, ...] = ()  # what the collection's QA rules found on the version written
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    uid: str = field(default_factory=lambda: uuid.uuid4().hex)

    def upload_key(self) -> str:
        """Same key on every retry of the same bytes: a retried upload never makes a second version."""
        return f"{self.uid}-{self.sha256}"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def retryable(self) -> bool:
        return self.state in RETRYABLE or (self.state == REJECTED and self.fixed)

    @property
    def working(self) -> bool:
        return self.state in WORKING

    def metadata_text(self) -> str:
        if self.info is None:
            return ""
        i = self.info
        alpha = " · alpha" if i.has_alpha else ""
        return f"{i.width}×{i.height} · {i.format} · {i.bit_depth}-bit{alpha}"

    def outcome_text(self) -> str:
        """The line next to the state: the reason, the link, or what is about to happen."""
        if self.reason:
            return self.reason
        if self.state == UNCHANGED and self.plan:
            return f"already in vault: {self.plan.texture_name} v{self.plan.next_version}"
        if self.state == NEW_VERSION:
            now = f"{self.plan.texture_name if self.plan else self.name} is now v{self.version}"
            return f"{now}; {qa_said(self.qa)}" if self.qa else now
        if self.state == DONE:
            return qa_said(self.qa) if self.qa else "added as a new texture"
        if self.plan is None:
            return ""
        if self.plan.action == "version":
            return f"will become v{self.plan.next_version} of {self.plan.texture_name}"
        if self.plan.action == "unchanged":
            return f"already in vault: {self.plan.texture_name} v{self.plan.next_version}"
        return "new texture"
