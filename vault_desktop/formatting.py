"""Short human texts for sizes and times, used by the detail panel and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime

from server_api.core.units import human_size  # one size format for the CLI and the app

__all__ = ["human_size", "human_time"]


def human_time(when: datetime | None) -> str:
    """Local time, minutes precision: what an artist reads at a glance."""
    if when is None:
        return "never"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")
