"""Pure image functions: probe, thumbnails. ``from server_api import imaging`` gives the public ones."""

from server_api.imaging.analysis import ALLOWED_FORMATS, analyze, image_info, make_thumbnail, probe

__all__ = ["ALLOWED_FORMATS", "analyze", "image_info", "make_thumbnail", "probe"]
