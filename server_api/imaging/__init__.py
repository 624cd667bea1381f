"""Pure image functions: probe, thumbnails. ``from server_api import imaging`` gives the public ones.

They load on first use (Pillow with them), so importing a small module of this package, such as
``imaging.info``, costs nothing: the `vault` CLI must start fast.
"""

from __future__ import annotations

__all__ = ["ALLOWED_FORMATS", "analyze", "analyze_with_facts", "image_info", "make_thumbnail", "probe"]


def __getattr__(name: str):
    if name in __all__:
        from server_api.imaging import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
