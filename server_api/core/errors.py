"""The one error type that crosses every face of the store (SQL, REST, GUI).

The server turns a VaultError into ``{"code", "message"}`` with the HTTP status from
``HTTP_STATUS``; RestVaultStore turns it back into the same VaultError, so callers catch one thing.
"""

from __future__ import annotations

# code -> HTTP status. The single table both directions use.
HTTP_STATUS: dict[str, int] = {
    "invalid_argument": 400,  # bad input: a name, a level, a cursor, a path
    "unauthenticated": 401,  # no token, a wrong password, an expired or revoked token
    "permission_denied": 403,  # signed in, but the level is too low
    "not_found": 404,  # does not exist, or the caller may not know it exists
    "request_timeout": 408,  # a request body stalled or took too long to arrive
    "conflict": 409,  # a name already taken, the owner's grant, a stale state
    "too_large": 413,  # an upload over the limit, a decompression bomb
    "range_not_satisfiable": 416,  # a byte range of a version's file that starts past its end
    "unsupported_media": 415,  # not an image we accept, corrupt or truncated image data
    "throttled": 429,  # too many failed logins
    "internal": 500,
    "unavailable": 503,  # the server cannot be reached (REST client), or has no room for more uploads
    "insufficient_storage": 507,  # the server's data volume is (nearly) full
}

CODE_FOR_STATUS: dict[int, str] = {status: code for code, status in HTTP_STATUS.items()}


class VaultError(Exception):
    """An error a user can understand: ``code`` from HTTP_STATUS, ``message`` names what was wrong."""

    def __init__(self, code: str, message: str, *, retry_after: int | None = None):
        if code not in HTTP_STATUS:
            raise ValueError(f"unknown VaultError code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after  # seconds worth waiting before trying again (HTTP Retry-After)

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}

    @classmethod
    def from_json(cls, payload: dict, status: int | None = None) -> VaultError:
        code = payload.get("code") if isinstance(payload, dict) else None
        if code not in HTTP_STATUS:
            code = CODE_FOR_STATUS.get(status or 500, "internal")
        message = payload.get("message") if isinstance(payload, dict) else None
        return cls(code, str(message or f"HTTP {status}"))

    def __repr__(self) -> str:
        return f"VaultError({self.code!r}, {self.message!r})"


class RangeNotSatisfiable(VaultError):
    """A byte range that starts past the end; ``size`` is the whole length, which an HTTP answer
    carries as ``Content-Range: bytes */size`` (so a client resuming a download knows it is done)."""

    def __init__(self, message: str, size: int):
        super().__init__("range_not_satisfiable", message)
        self.size = size
