"""Uploads into S3 stream (issue 15): when the form says the file's sha256 before the file (what
`vault import` and the upload pane send), the server sends the parts to the object store while the
body still arrives and completes the upload only when the bytes hash to that sha256. A client that
disconnects or stalls, or bytes that do not match, leave no object, no unfinished upload and no row.
Over real HTTP against a real SeaweedFS (tests/seaweedfs.py)."""

from __future__ import annotations

import hashlib
import io
import socket
import time

import pytest
import requests
from live_server import LiveServer
from seaweedfs import TEST_CREDENTIALS, fresh_content_url, shared_seaweedfs

from server_api.content.s3_parts import MULTIPART_BYTES

BOUNDARY = "cluster2stream"
IDLE_SECONDS = 2.0  # the server's body idle timeout here: a stalled upload is cut off after this


def padded_png(megabytes: float, seed: int) -> bytes:
    """A real PNG followed by distinct padding (Pillow reads the image and ignores the tail)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (seed % 256, 60, 200)).save(buffer, "PNG")
    block = hashlib.sha256(str(seed).encode()).digest() * 32768  # 1 MiB, different per seed
    return buffer.getvalue() + block * int(megabytes) + block[: int((megabytes % 1) * len(block))]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = {"content_url": fresh_content_url(), "body_idle_timeout_s": IDLE_SECONDS,
                "aws_access_key_id": TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                "aws_secret_access_key": TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]}
    with LiveServer(tmp_path_factory.mktemp("s3-streaming"), settings=settings) as live:
        live.token = live.add_user("ada", admin=True)
        live.collection = live.store(live.token).create_collection("Streams").id
        yield live


class Bucket:
    """What the server's S3 content store holds, seen straight through the object store."""

    def __init__(self, server: LiveServer):
        content = server.root.content
        self.client, self.name = shared_seaweedfs().client(), content.bucket
        self.prefix = content.url.split("?")[0].split("/", 3)[3] + "/blobs/"

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def has(self, sha256: str) -> bool:
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=self.key(sha256))
        return listed.get("KeyCount", 0) > 0

    def unfinished(self) -> list[dict]:
        return self.client.list_multipart_uploads(Bucket=self.name, Prefix=self.prefix).get("Uploads", [])

    def parts_sent(self, sha256: str) -> int:
        for upload in self.unfinished():
            if upload["Key"] == self.key(sha256):
                return len(self.client.list_parts(Bucket=self.name, Key=upload["Key"],
                                                  UploadId=upload["UploadId"]).get("Parts", []))
        return 0


def import_form(path: str, sha256: str, data: bytes) -> tuple[bytes, bytes]:
    """(everything up to the file's bytes, the rest of the body): fields, sha256 first, then the file."""
    head = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="original_path"\r\n\r\n{path}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="sha256"\r\n\r\n{sha256}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f.png"\r\n'
            "Content-Type: image/png\r\n\r\n").encode()
    return head, data + f"\r\n--{BOUNDARY}--\r\n".encode()


def open_import(server: LiveServer, head: bytes, length: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    sock.sendall((f"POST /api/v1/collections/{server.collection}/imports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Authorization: Bearer {server.token}\r\n"
                  f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                  f"Content-Length: {length}\r\n\r\n").encode() + head)
    return sock


class HalfSent:
    """An import of ``parts`` MULTIPART_BYTES of a padded PNG (sha256 first) whose body has been sent
    up to ``sent_parts`` parts, and whose first part the object store already holds."""

    def __init__(self, server: LiveServer, path: str, parts: float, sent_parts: int, seed: int):
        self.bucket = Bucket(server)
        self.data = padded_png(parts * MULTIPART_BYTES / (1 << 20), seed=seed)
        self.sha = hashlib.sha256(self.data).hexdigest()
        head, self.rest = import_form(path, self.sha, self.data)
        self.cut = sent_parts * MULTIPART_BYTES + 1000
        self.sock = open_import(server, head, len(head) + len(self.rest))
        self.sock.sendall(self.rest[: self.cut])
        assert until(lambda: self.bucket.parts_sent(self.sha) >= 1), "no part reached the store mid-body"

    def answer(self, seconds: float) -> bytes:
        self.sock.settimeout(seconds)
        try:
            return self.sock.recv(65536)
        finally:
            self.sock.close()


def until(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def texture_paths(server: LiveServer) -> list[str]:
    page = server.store(server.token).list_textures(server.collection)
    return [texture.original_path for texture in page.items]


def test_a_big_import_is_sent_to_the_object_store_while_it_arrives(server):
    upload = HalfSent(server, "/art/streamed.png", parts=2.5, sent_parts=2, seed=1)
    bucket, sha = upload.bucket, upload.sha
    assert not bucket.has(sha)  # an unfinished upload: invisible until completed
    upload.sock.sendall(upload.rest[upload.cut:])
    answer = upload.answer(60)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert bucket.has(sha) and bucket.unfinished() == []
    stored = server.root.content
    assert stored.stat(sha) == len(upload.data) and stored.verify(sha)
    assert "/art/streamed.png" in texture_paths(server)
    assert list(stored.upload_dir.iterdir()) == []  # the local copy for the analysis is gone


def test_a_client_that_disconnects_mid_upload_leaves_no_object_and_no_row(server):
    upload = HalfSent(server, "/art/gone.png", parts=3, sent_parts=2, seed=2)
    upload.sock.close()  # the artist's laptop lid shuts
    assert until(lambda: upload.bucket.unfinished() == []), "the unfinished upload was not aborted"
    assert not upload.bucket.has(upload.sha)
    assert "/art/gone.png" not in texture_paths(server)
    assert until(lambda: list(server.root.content.upload_dir.iterdir()) == [])


def test_a_client_that_stalls_mid_upload_leaves_no_object_and_no_row(server):
    upload = HalfSent(server, "/art/stalled.png", parts=2.5, sent_parts=1, seed=3)
    answer = upload.answer(IDLE_SECONDS + 30)  # it sends nothing more: cut off after the idle timeout
    assert answer.startswith(b"HTTP/1.1 408"), answer[:300]
    assert until(lambda: upload.bucket.unfinished() == [])
    assert not upload.bucket.has(upload.sha) and "/art/stalled.png" not in texture_paths(server)


@pytest.mark.parametrize("megabytes", [0.01, 2.5 * MULTIPART_BYTES / (1 << 20)], ids=["one-put", "parts"])
def test_bytes_that_do_not_match_the_announced_sha256_are_refused_and_nothing_is_kept(server, megabytes):
    bucket = Bucket(server)
    data = padded_png(megabytes, seed=4)
    announced = hashlib.sha256(data + b"the bytes the client meant").hexdigest()
    head, rest = import_form("/art/damaged.png", announced, data)
    answer = requests.post(f"{server.url}/api/v1/collections/{server.collection}/imports", data=head + rest,
                           headers={"Authorization": f"Bearer {server.token}",
                                    "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, timeout=60)
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "invalid_argument" and "damaged in transit" in answer.json()["message"]
    assert not bucket.has(announced) and not bucket.has(hashlib.sha256(data).hexdigest())
    assert until(lambda: bucket.unfinished() == [])
    assert "/art/damaged.png" not in texture_paths(server)


def test_an_import_of_bytes_already_stored_sends_nothing_and_answers_as_before(server, tmp_path):
    bucket = Bucket(server)
    data = padded_png(1.5 * MULTIPART_BYTES / (1 << 20), seed=5)
    source = tmp_path / "twice.png"
    source.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    store = server.store(server.token)
    elsewhere = store.create_collection("Elsewhere").id
    first = store.import_source(server.collection, str(source), original_path="/art/one.png", sha256=sha)
    second = store.import_source(elsewhere, str(source), original_path="/art/one.png", sha256=sha)
    assert (first.status, second.status) == ("added", "added")
    assert bucket.has(sha) and bucket.unfinished() == []
    with store.open_version(store.list_versions(second.texture_id)[0].id) as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == sha


def test_big_bytes_that_are_no_image_are_refused_after_their_parts_went_and_nothing_is_kept(server):
    bucket = Bucket(server)
    data = hashlib.sha256(b"not an image").digest() * (int(2.5 * MULTIPART_BYTES) // 32)
    sha = hashlib.sha256(data).hexdigest()
    head, rest = import_form("/art/notes.png", sha, data)
    answer = requests.post(f"{server.url}/api/v1/collections/{server.collection}/imports", data=head + rest,
                           headers={"Authorization": f"Bearer {server.token}",
                                    "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, timeout=60)
    assert answer.status_code == 415, answer.text  # the analysis refused it: the sent parts are dropped
    assert not bucket.has(sha) and until(lambda: bucket.unfinished() == [])
    assert "/art/notes.png" not in texture_paths(server)
