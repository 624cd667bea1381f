"""The engine's limits on what a caller may store: one home, used by every face and by the HTTP schemas
(which restate them for OpenAPI, so clients know them up front)."""

from __future__ import annotations

import re

MAX_COLLECTION_NAME = 200
MAX_TEXTURE_NAME = 500
MAX_DESCRIPTION = 10_000
MAX_NOTE = 10_000
MAX_PATH = 4096  # a texture's original path
MAX_UPLOAD_KEY = 128
MAX_PAGE = 1000  # items in one page of a listing
MAX_IMAGE_SIDE = 2**31 - 1  # image sides are 32-bit integers in the database
MAX_MATERIAL_NAME = 500
MAX_MATERIAL_MAPS = 64  # more maps than any PBR set has; keeps one request's work bounded
MAX_MATERIAL_PAGE = 1000  # materials in one page of a listing
MAX_COMMENT = 4000  # characters in one review comment
MAX_GROUPS_PER_CALL = 1000  # grouping proposals in one request: bounds its work (clients send more in parts)
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MIN_PASSWORD_LENGTH = 8  # the rest of the password rules: store/password_rules.py
MAX_PASSWORD_LENGTH = 1000  # long passphrases welcome; the cap only bounds the work of one check
