"""HTTP plumbing for RestVaultStore: one requests.Session, timeouts, retries, errors → VaultError.

Idempotent calls (GET/PUT/DELETE…) are retried by urllib3 with exponential backoff and jitter on
connection failures and 502/503/504; uploads are retried by ``rest_upload`` with an idempotency key.
A server that cannot be reached is VaultError("unavailable", "server <url> unreachable: …"), which
the desktop shows as a banner; a server's {"code","message"} becomes the same VaultError it was.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from server_api.core.errors import VaultError

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0
PROBE_TIMEOUT = 2.0
RESUMES = 3  # times a download broken mid-body is picked up where it stopped
RETRY = Retry(
    total=4, connect=4, read=2, status=3,
    backoff_factor=0.2, backoff_jitter=0.3, backoff_max=5,
    status_forcelist=(502, 503, 504),
    raise_on_status=False,  # hand the last answer to us; we turn it into a VaultError
    respect_retry_after_header=True,
)


class Transport:
    """Talks to one server at ``base_url`` with one bearer token (or none, before login)."""

    def __init__(self, base_url: str, token: str | None = None, *,
                 timeout: tuple[float, float] | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout or (CONNECT_TIMEOUT, READ_TIMEOUT)
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=RETRY, pool_connections=4, pool_maxsize=16)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = "texture-vault"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, *, expect_json: bool = True, **kwargs) -> Any:
        """One request; the decoded JSON body (None for 204), or a VaultError."""
        response = self.send(method, path, **kwargs)
        try:
            if response.status_code == 204 or not expect_json:
                return None
            return response.json()
        except ValueError:
            raise VaultError("internal", f"{self.base_url} sent a reply that is not JSON") from None
        finally:
            response.close()

    def send(self, method: str, path: str, *, timeout: tuple[float, float] | None = None,
             **kwargs) -> requests.Response:
        """The raw response of a successful request (2xx/304); VaultError for anything else."""
        try:
            response = self.session.request(method, self.base_url + path, timeout=timeout or self.timeout,
                                            **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise unreachable(self.base_url, exc) from None
        except requests.RequestException as exc:
            raise VaultError("unavailable", f"server {self.base_url} failed: {exc}") from None
        if response.status_code >= 400:
            raise error_from(response)
        return response

    def probe(self, path: str, timeout: float = PROBE_TIMEOUT) -> None:
        """GET ``path`` once, without the retries and backoff of ``send``: answers within
        ``timeout`` seconds whether the server is there ("unavailable" when not)."""
        try:
            response = requests.get(self.base_url + path, timeout=timeout,
                                    headers={"User-Agent": "texture-vault"})
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise unreachable(self.base_url, exc) from None
        response.close()
        if response.status_code >= 500:
            raise VaultError("unavailable", f"server {self.base_url} answered {response.status_code}")

    def close(self) -> None:
        self.session.close()


def unreachable(base_url: str, exc: BaseException) -> VaultError:
    # requests nests the OS reason deep in its message; the OS words are what a user can act on.
    text = str(exc)
    found = _OS_REASON.search(text)
    reason = found.group(1) if found else text
    return VaultError("unavailable", f"server {base_url} unreachable: {_short(reason)}")


_OS_REASON = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def error_from(response: requests.Response) -> VaultError:
    try:
        payload = response.json()
    except ValueError:
        payload = {"message": f"HTTP {response.status_code} from {response.url}"}
    finally:
        response.close()
    return VaultError.from_json(payload, response.status_code)


def range_header(start: int, length: int | None) -> str | None:
    """The Range header asking for ``length`` bytes from ``start`` (negative: the last -start
    bytes), as VaultStore.open_version takes them; None for the whole file."""
    if start == 0 and length is None:
        return None
    if start < 0:
        return f"bytes={start}"  # bytes=-N
    return f"bytes={start}-{'' if length is None else start + length - 1}"


class DownloadStream(io.RawIOBase):
    """A version's bytes (or a range of them) as they arrive; the whole file is checked against the
    ETag (its sha256) at the end. A connection lost mid-body is picked up where it stopped, up to
    RESUMES times, when ``resume(first, last, etag)`` is given: it asks for the missing bytes with
    Range + If-Range, so they are the same file's bytes or nothing (the server answers the whole file
    instead, which is refused here)."""

    def __init__(self, response: requests.Response, base_url: str, *, whole: bool = True,
                 resume: Callable[[int, int, str], requests.Response] | None = None):
        super().__init__()
        self._base_url, self._resume = base_url, resume
        self._etag = response.headers.get("ETag") or ""
        # A range (206) is part of the bytes the ETag names: only its length is checked (urllib3).
        self._expected = (self._etag.strip('"') or None) if whole else None
        self._hasher = hashlib.sha256()
        span = _content_range(response) if response.status_code == 206 else None
        length = response.headers.get("Content-Length")
        self._next, self._last = span or (0, int(length) - 1 if length and length.isdigit() else None)
        self._resumes = 0
        self._take(response)

    def _take(self, response: requests.Response) -> None:
        self._response = response
        self._raw = response.raw
        self._raw.decode_content = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            try:
                data = self._raw.read(len(buffer))
                break
            except Exception as exc:  # noqa: BLE001 (urllib3 raises several types mid-body)
                if not self._resumed():
                    raise unreachable(self._base_url, exc) from None
        if not data:
            self._check_complete()
            return 0
        self._hasher.update(data)
        self._next += len(data)
        buffer[: len(data)] = data
        return len(data)

    def _resumed(self) -> bool:
        """Ask for the rest after a broken connection; False when that cannot or did not work."""
        if (self._resume is None or self._resumes >= RESUMES or self._last is None
                or not self._etag.startswith('"') or self._next > self._last):
            return False
        self._resumes += 1
        self._response.close()
        try:
            answer = self._resume(self._next, self._last, self._etag)
        except VaultError:
            return False
        if answer.status_code != 206 or (_content_range(answer) or (None,))[0] != self._next:
            answer.close()  # the whole file again, or another part: not the bytes that are missing
            return False
        self._take(answer)
        return True

    def _check_complete(self) -> None:
        if self._expected and self._hasher.hexdigest() != self._expected:
            expected, self._expected = self._expected, None
            raise VaultError("unavailable", f"download from {self._base_url} was damaged or cut short "
                             f"(expected sha256 {expected})")

    def close(self) -> None:
        if not self.closed:
            self._response.close()
        super().close()


def _content_range(response: requests.Response) -> tuple[int, int] | None:
    """(first, last) byte of a 206's Content-Range: bytes FIRST-LAST/SIZE."""
    found = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)", response.headers.get("Content-Range", "").strip())
    return (int(found.group(1)), int(found.group(2))) if found else None


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
