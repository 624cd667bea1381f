"""Short human texts for sizes and times, used by the detail panel and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def human_time(when: datetime | None) -> str:
    """Local time, minutes precision: what an artist reads at a glance."""
    if when is None:
        return "never"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")
