"""VAULT_CONTENT_URL -> a ContentStore (MLflow picks its artifact repository by URI the same way).

    file:///srv/vault/blobs                      a folder (blobs/, thumbs/, tmp/ inside it)
    s3://BUCKET[/PREFIX]?endpoint=http://host:8333[&region=eu-west-1]
                                                 S3-compatible object storage; credentials from
                                                 AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (the
                                                 settings object), else boto3's own chain
Unset: the server's data folder, as before. An s3 store still stages uploads in ``scratch`` (a
local folder: the data folder's staging/).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from server_api.content.filesystem import FilesystemContentStore
from server_api.content.store import ContentStore
from server_api.core.errors import VaultError
from server_api.core.settings import Settings

S3_OPTIONS = ("endpoint", "region")


def open_content_store(url: str | None, data_dir: Path, config: Settings) -> ContentStore:
    if not url:
        return folder_content_store(data_dir)
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path:
            raise VaultError("invalid_argument", f"VAULT_CONTENT_URL {url!r}: a file URL is "
                             "file:///absolute/folder")
        return FilesystemContentStore(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        return _open_s3(url, parts, data_dir / "staging", config)
    raise VaultError("invalid_argument", f"VAULT_CONTENT_URL {url!r} must start with file:// or s3://")


def _open_s3(url: str, parts, scratch: Path, config: Settings) -> ContentStore:
    bucket = parts.netloc
    if not bucket:
        raise VaultError("invalid_argument", f"VAULT_CONTENT_URL {url!r} names no bucket (s3://BUCKET?…)")
    options = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = sorted(set(options) - set(S3_OPTIONS))
    if unknown:
        raise VaultError("invalid_argument", f"VAULT_CONTENT_URL {url!r}: unknown option(s) "
                         f"{', '.join(unknown)} (known: {', '.join(S3_OPTIONS)})")
    endpoint = options.get("endpoint")
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise VaultError("invalid_argument", f"VAULT_CONTENT_URL {url!r}: endpoint must be http(s)://host:port")
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise VaultError("invalid_argument", "VAULT_CONTENT_URL is s3:// but boto3 is not installed "
                         "(pip install 'texture-vault[server]')") from None
    from server_api.content.s3 import S3ContentStore, s3_errors

    session = boto3.session.Session(
        aws_access_key_id=config.aws_access_key_id, aws_secret_access_key=config.aws_secret_access_key,
        aws_session_token=config.aws_session_token,
        region_name=options.get("region") or config.aws_region or "us-east-1")
    client = session.client(
        "s3", endpoint_url=endpoint,
        # Every write carries our own SHA-256 in a signed x-amz-checksum-sha256 header, which the
        # server checks the body against: signing the body's hash too (SigV4 does over plain http)
        # would hash every byte once more for nothing.
        config=Config(s3={"addressing_style": "path", "payload_signing_enabled": False},
                      retries={"mode": "standard", "max_attempts": 4},
                      max_pool_connections=32, connect_timeout=10, read_timeout=120,
                      # we send our own SHA-256 on every write; no second CRC on top
                      request_checksum_calculation="when_required",
                      response_checksum_validation="when_required"))
    with s3_errors(f"opening bucket {bucket!r} at {endpoint or 'AWS'}"):
        client.head_bucket(Bucket=bucket)
    return S3ContentStore(client, bucket, prefix=unquote(parts.path), scratch=scratch, url=url)


def folder_content_store(root: Path) -> ContentStore:
    """The store a local vault (and a server without VAULT_CONTENT_URL) keeps in its data folder."""
    return FilesystemContentStore(root)
