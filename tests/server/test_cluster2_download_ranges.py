"""GET /api/v1/versions/{id}/file with Range over real HTTP, the bytes in a folder and in S3 (a real
SeaweedFS): 206 with Content-Range, 416 past the end, If-Range and If-None-Match respected, anything
else (several ranges, a malformed header) the whole file, as HTTP allows."""

from __future__ import annotations

import hashlib
import socket
import threading

import pytest
import requests
from live_server import LiveServer
from seaweedfs import TEST_CREDENTIALS, fresh_content_url

from server_api.content.s3_parts import MULTIPART_BYTES
from server_api.core.errors import VaultError


def big_png(size: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(buffer, "PNG")
    block = hashlib.sha256(b"ranges").digest() * 32768
    tail = (block * (size // len(block) + 1))[: size - len(buffer.getvalue())]
    return buffer.getvalue() + tail


@pytest.fixture(scope="module", params=["file", "s3"])
def served(request, tmp_path_factory):
    """(server, auth headers, version id, the version's bytes): one file over two S3 parts."""
    settings = {}
    if request.param == "s3":
        settings = {"content_url": fresh_content_url(),
                    "aws_access_key_id": TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                    "aws_secret_access_key": TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]}
    folder = tmp_path_factory.mktemp(f"ranges-{request.param}")
    with LiveServer(folder / "server", settings=settings) as server:
        token = server.add_user("ada", admin=True)
        store = server.store(token)
        data = big_png(MULTIPART_BYTES + 3_000_000)
        source = folder / "big.png"
        source.write_bytes(data)
        collection = store.create_collection("Ranges").id
        result = store.import_source(collection, str(source), original_path="/art/big.png",
                                     sha256=hashlib.sha256(data).hexdigest())
        version_id = store.list_versions(result.texture_id)[0].id
        assert server.root.content.url.startswith("s3://" if request.param == "s3" else "file://")
        yield server, {"Authorization": f"Bearer {token}"}, version_id, data
        store.close()


def get(served, **headers) -> requests.Response:
    server, auth, version_id, _data = served
    return requests.get(f"{server.url}/api/v1/versions/{version_id}/file", headers={**auth, **headers},
                        timeout=60)


@pytest.mark.parametrize("asked, first, last", [
    ("bytes=10-19", 10, 19),
    ("bytes=10-", 10, None),
    ("bytes=-5", -5, None),
    ("bytes=0-0", 0, 0),
    (f"bytes={MULTIPART_BYTES - 7}-{MULTIPART_BYTES + 7}", MULTIPART_BYTES - 7, MULTIPART_BYTES + 7),
    ("bytes=100-999999999999", 100, None),  # past the end: cut at the end
])
def test_a_range_answers_206_with_those_bytes(served, asked, first, last):
    data = served[3]
    answer = get(served, Range=asked)
    start = first if first >= 0 else len(data) + first
    end = len(data) - 1 if last is None else min(last, len(data) - 1)
    assert answer.status_code == 206, answer.text[:200]
    assert answer.content == data[start:end + 1]
    assert answer.headers["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
    assert int(answer.headers["Content-Length"]) == end - start + 1
    assert answer.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert answer.headers["Accept-Ranges"] == "bytes"


def test_a_range_past_the_end_is_416_with_the_size(served):
    data = served[3]
    answer = get(served, Range=f"bytes={len(data)}-")
    assert answer.status_code == 416
    assert answer.headers["Content-Range"] == f"bytes */{len(data)}"
    assert answer.json()["code"] == "range_not_satisfiable"


@pytest.mark.parametrize("asked", ["bytes=0-1,5-6", "bytes=9-3", "lines=1-2", "bytes=abc", "bytes=-0"])
def test_several_or_malformed_ranges_answer_the_whole_file(served, asked):
    answer = get(served, Range=asked)
    assert answer.status_code == 200 and answer.content == served[3]
    assert answer.headers["Accept-Ranges"] == "bytes"


def test_if_range_gives_the_range_only_while_the_etag_still_matches(served):
    data = served[3]
    etag = f'"{hashlib.sha256(data).hexdigest()}"'
    same = get(served, Range="bytes=5-9", **{"If-Range": etag})
    assert same.status_code == 206 and same.content == data[5:10]
    for stale in ('"' + "0" * 64 + '"', "Wed, 21 Oct 2015 07:28:00 GMT", f"W/{etag}"):
        whole = get(served, Range="bytes=5-9", **{"If-Range": stale})
        assert whole.status_code == 200 and whole.content == data


def test_if_none_match_still_answers_304_before_any_range(served):
    etag = f'"{hashlib.sha256(served[3]).hexdigest()}"'
    assert get(served, Range="bytes=5-9", **{"If-None-Match": etag}).status_code == 304


def test_the_rest_client_reads_a_range_and_resumes_where_it_stopped(served):
    server, auth, version_id, data = served
    store = server.store(auth["Authorization"].split()[1])
    got = bytearray()
    with store.open_version(version_id) as stream:
        got += stream.read(MULTIPART_BYTES // 2)  # ... and the connection drops here
    with store.open_version(version_id, start=len(got)) as rest:
        got += rest.read()
    assert bytes(got) == data
    store.close()


class CuttingProxy:
    """A TCP proxy in front of the server that cuts the next ``cuts`` answers after ``after`` bytes:
    a download whose connection breaks mid-body (Wi-Fi gone, a proxy restarted)."""

    def __init__(self, upstream_port: int, after: int, cuts: int):
        self.upstream_port, self.after, self.cuts, self.cut = upstream_port, after, cuts, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pump, args=(client, upstream, None), daemon=True).start()
            with self._lock:
                limit = self.after if self.cut < self.cuts else None
                self.cut += limit is not None
            threading.Thread(target=self._pump, args=(upstream, client, limit), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while data := source.recv(65536):
                if limit is not None and sent + len(data) > limit:
                    target.sendall(data[: limit - sent])
                    break  # the connection dies here
                target.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize("start, length", [(0, None), (1000, 2 * 700_000)])
def test_a_download_cut_off_mid_body_is_resumed_where_it_stopped(served, start, length):
    from server_api.store.rest.client import RestVaultStore

    server, auth, version_id, data = served
    proxy = CuttingProxy(server.port, after=700_000, cuts=2)
    store = RestVaultStore(proxy.url, token=auth["Authorization"].split()[1])
    try:
        with store.open_version(version_id, start=start, length=length) as stream:
            got = stream.read()
        assert proxy.cut == 2  # two broken connections, both picked up again
        assert got == data[start:] if length is None else got == data[start:start + length]
    finally:
        store.close()
        proxy.close()


def test_a_download_that_keeps_breaking_says_so(served):
    from server_api.store.rest.client import RestVaultStore

    server, auth, version_id, _data = served
    proxy = CuttingProxy(server.port, after=300_000, cuts=100)
    store = RestVaultStore(proxy.url, token=auth["Authorization"].split()[1])
    try:
        with pytest.raises(VaultError) as broken, store.open_version(version_id) as stream:
            stream.read()
        assert broken.value.code == "unavailable"
    finally:
        store.close()
        proxy.close()
