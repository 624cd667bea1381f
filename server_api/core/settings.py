"""Every VAULT_* variable in one typed, frozen object, read once at startup and passed down.

The only module that reads ``os.environ`` (tests aside). A frozen dataclass, not pydantic-settings:
the ``vault`` CLI must start in well under 250 ms and the desktop bundle leaves pydantic out.

Add a setting: one ``_setting(...)`` field below (env name, default, one line of doc). The README's
settings table lists every field; ``tests/engine/test_settings.py`` checks that it does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from server_api.core.errors import VaultError


def _setting(env: str, default: Any, doc: str, *, secret: bool = False) -> Any:
    return field(default=default, metadata={"env": env, "doc": doc, "secret": secret})


@dataclass(frozen=True)
class Settings:
    # --- clients (vault CLI, desktop app) ---------------------------------------------------------
    vault: str | None = _setting("VAULT", None, "default vault for the `vault` CLI: folder or http(s) URL")
    token: str | None = _setting("VAULT_TOKEN", None, "API token for a server; overrides `vault login`",
                                 secret=True)
    data_dir: Path | None = _setting("TEXTURE_VAULT_DATA_DIR", None,
                                     "per-user data folder (default vault lives here); platform default")
    config_dir: Path | None = _setting("TEXTURE_VAULT_CONFIG_DIR", None,
                                       "per-user settings and saved tokens; platform default")
    cache_dir: Path | None = _setting("TEXTURE_VAULT_CACHE_DIR", None, "per-user cache; platform default")
    # --- engine -----------------------------------------------------------------------------------
    max_image_pixels: int = _setting("VAULT_MAX_IMAGE_PIXELS", 16384 * 16384,
                                     "images with more pixels are refused before decoding")
    decode_budget_mb: float = _setting("VAULT_DECODE_BUDGET_MB", 1024.0,
                                       "memory all image decodes of one process may hold at once, MiB; "
                                       "others wait, one image over it is refused")
    # --- server -----------------------------------------------------------------------------------
    server_data_dir: Path | None = _setting("VAULT_DATA_DIR", None,
                                            "server data folder (blobs, thumbnails, SQLite file)")
    database_url: str | None = _setting("VAULT_DATABASE_URL", None,
                                        "server database (postgresql+psycopg://…); default SQLite in the "
                                        "data folder", secret=True)
    max_upload_mb: float = _setting("VAULT_MAX_UPLOAD_MB", 1024.0, "largest accepted upload, MiB")
    # --- server: content store (issue 15; README "Content storage") --------------------------------
    content_url: str | None = _setting("VAULT_CONTENT_URL", None,
                                       "where file bytes and thumbnails live: file:///srv/vault/blobs or "
                                       "s3://BUCKET?endpoint=http://host:8333; default the data folder")
    aws_access_key_id: str | None = _setting("AWS_ACCESS_KEY_ID", None,
                                             "S3 access key; unset: boto3's own chain (~/.aws, roles)")
    aws_secret_access_key: str | None = _setting("AWS_SECRET_ACCESS_KEY", None, "S3 secret key",
                                                 secret=True)
    aws_session_token: str | None = _setting("AWS_SESSION_TOKEN", None, "S3 session token (temporary "
                                             "credentials)", secret=True)
    aws_region: str | None = _setting("AWS_DEFAULT_REGION", None, "S3 region; default us-east-1")
    # --- server: abuse limits (issue 10; README "Security") ----------------------------------------
    body_idle_timeout_s: float = _setting("VAULT_BODY_IDLE_TIMEOUT_S", 30.0,
                                          "a request body silent this long is cut off with 408, seconds")
    body_timeout_s: float = _setting("VAULT_BODY_TIMEOUT_S", 900.0,
                                     "a whole request body must arrive within this, seconds (408 after)")
    uploads_per_user: int = _setting("VAULT_UPLOADS_PER_USER", 4,
                                     "uploads one account may have in flight on the whole server (every "
                                     "instance over its database); more: 429")
    uploads_total: int = _setting("VAULT_UPLOADS_TOTAL", 16,
                                  "uploads in flight per server process, on their own threads; more: 503")
    max_image_chunk_mb: float = _setting("VAULT_MAX_IMAGE_CHUNK_MB", 16.0,
                                         "largest PNG chunk (pixel data aside) or TIFF tag a decoder "
                                         "would read whole, MiB")
    min_free_mb: float = _setting("VAULT_MIN_FREE_MB", 256.0,
                                  "uploads stop (507) while the data volume has less free space, MiB; "
                                  "the rest stays for deletes and the database")
    password_hash: str = _setting("VAULT_PASSWORD_HASH", "default",
                                  "argon2id parameters: `default`, or `cheap` (test suites only)")
    password_workers: int | None = _setting("VAULT_PASSWORD_WORKERS", None,
                                            "password hashes computed at once (64 MiB each); default: one "
                                            "per core")
    password_queue: int = _setting("VAULT_PASSWORD_QUEUE", 16,
                                   "sign-ins waiting for a password check; more get 429 + Retry-After")
    # --- server: behind a proxy (issue 15; README "Running a cluster") -----------------------------
    forwarded_allow_ips: str | None = _setting("VAULT_FORWARDED_ALLOW_IPS", None,
                                               "proxies whose X-Forwarded-For the server believes (commas, "
                                               "or *): the client's address then counts for the sign-in "
                                               "line's per-client share; unset: the peer's address")
    # --- server: change feed and webhooks (issue 16; README "Change feed and webhooks") -------------
    changes_poll_s: float = _setting("VAULT_CHANGES_POLL_S", 0.5,
                                     "how often a server process looks for new changes for its event "
                                     "streams (one query per process, not per stream), seconds")
    changes_heartbeat_s: float = _setting("VAULT_CHANGES_HEARTBEAT_S", 15.0,
                                          "an idle event stream sends a heartbeat comment this often, "
                                          "seconds")
    webhook_delivery: int = _setting("VAULT_WEBHOOK_DELIVERY", 1,
                                     "1: this server process delivers webhooks (every instance may; they "
                                     "share the queue), 0: it does not")
    webhook_poll_s: float = _setting("VAULT_WEBHOOK_POLL_S", 1.0,
                                     "how often an idle delivery worker looks for new changes, seconds")
    webhook_retry_base_s: float = _setting("VAULT_WEBHOOK_RETRY_BASE_S", 5.0,
                                           "first retry of a failed delivery after this, doubling each "
                                           "time, seconds")
    webhook_max_attempts: int = _setting("VAULT_WEBHOOK_MAX_ATTEMPTS", 8,
                                         "a delivery is marked failed after this many attempts")
    webhook_timeout_s: float = _setting("VAULT_WEBHOOK_TIMEOUT_S", 10.0,
                                        "a receiver must answer a delivery within this, seconds")

    @property
    def decode_budget_bytes(self) -> int:
        return int(self.decode_budget_mb * (1 << 20))

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * (1 << 20))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Parse every variable once; a bad value is an error naming the variable."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"], "")
            if raw.strip():
                values[f.name] = _parse(f.metadata["env"], raw.strip(), f.type, f.default)
        values.update(overrides)
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        for name in ("body_idle_timeout_s", "body_timeout_s", "uploads_per_user", "uploads_total",
                     "max_image_chunk_mb", "changes_poll_s", "changes_heartbeat_s", "webhook_poll_s",
                     "webhook_retry_base_s", "webhook_max_attempts", "webhook_timeout_s"):
            if getattr(self, name) <= 0:
                env = next(f.metadata["env"] for f in fields(self) if f.name == name)
                raise VaultError("invalid_argument", f"{env} must be above 0")
        if self.webhook_delivery not in (0, 1):
            raise VaultError("invalid_argument", "VAULT_WEBHOOK_DELIVERY must be 0 or 1")
        if self.min_free_mb < 0:
            raise VaultError("invalid_argument", "VAULT_MIN_FREE_MB must be 0 or more")
        if self.max_upload_mb <= 0:
            raise VaultError("invalid_argument", "VAULT_MAX_UPLOAD_MB must be above 0")
        if self.decode_budget_mb <= 0:
            raise VaultError("invalid_argument", "VAULT_DECODE_BUDGET_MB must be above 0")
        if self.max_image_pixels <= 0:
            raise VaultError("invalid_argument", "VAULT_MAX_IMAGE_PIXELS must be above 0")
        if self.password_workers is not None and self.password_workers < 1:
            raise VaultError("invalid_argument", "VAULT_PASSWORD_WORKERS must be at least 1")
        if self.password_queue < 0:
            raise VaultError("invalid_argument", "VAULT_PASSWORD_QUEUE must be 0 or more")
        if self.password_hash not in ("default", "cheap"):
            raise VaultError("invalid_argument",
                             f"VAULT_PASSWORD_HASH must be 'default' or 'cheap', not {self.password_hash!r}")

    def described(self, environ: Mapping[str, str] | None = None) -> list[tuple[str, Any, str, str]]:
        """(variable, effective value, source, doc) per setting for `vault-server config`: secrets
        masked (see ``masked``); source "env" when the variable is set (not blank), else "default"."""
        environ = os.environ if environ is None else environ
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Path):
                value = str(value)
            if isinstance(value, str):
                value = masked(value, secret=f.metadata["secret"])
            source = "env" if environ.get(f.metadata["env"], "").strip() else "default"
            rows.append((f.metadata["env"], value, source, f.metadata["doc"]))
        return rows


_SECRET_WORDS = ("password", "secret", "token", "key")


def masked(value: str, *, secret: bool) -> str:
    """``value`` safe to print: a URL keeps everything but its password and the values of query
    parameters named like a secret (any URL, secret or not: a content URL may carry a key); any
    other secret becomes ****."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(value)
    if not (parts.scheme and parts.netloc):
        return "****" if secret and value else value
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:****@{netloc.rsplit('@', 1)[1]}"
    query = [(name, "****" if any(word in name.lower() for word in _SECRET_WORDS) else item)
             for name, item in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="*:/")))


def documented_variables() -> list[tuple[str, Any, str]]:
    """(variable, default, doc) for the README table."""
    return [(f.metadata["env"], None if f.default is MISSING else f.default, f.metadata["doc"])
            for f in fields(Settings)]


_PARSERS: dict[str, Callable[[str], Any]] = {
    "int": int, "float": float, "str": str, "Path": lambda raw: Path(raw).expanduser(),
}


def _parse(env: str, raw: str, annotation: str, default: Any) -> Any:
    kind = annotation.split("|")[0].strip()
    parser = _PARSERS.get(kind, str)
    try:
        return parser(raw)
    except ValueError:
        wanted = "a whole number" if kind == "int" else "a number"
        raise VaultError("invalid_argument", f"{env} must be {wanted}, not {raw!r}") from None


def export(variable: str, value: str) -> None:
    """Set a variable for processes started from this one (uvicorn's workers read their settings
    again) and for this process's next ``settings()``."""
    if variable not in {env for env, _default, _doc in documented_variables()}:
        raise VaultError("invalid_argument", f"{variable} is not a Texture Vault setting")
    os.environ[variable] = value
    settings.cache_clear()


@cache
def settings() -> Settings:
    """The process's settings, read the first time they are asked for.

    Entry points (``vault``, ``vault-server``, ``texture-vault``) call this once at startup and pass
    the object down; library code takes a ``Settings`` argument instead of calling it.
    """
    return Settings.from_env()
