"""POST /collections/{id}/imports/batch over real HTTP (issue 9): its limits and its abuse.

A batch is refused whole, with a clear error, when it is too big or malformed; a batch cut off
part-way stores nothing; and `vault import` to a server sends small files in batches, big ones alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time

import pytest
from abuse_server import AbuseServer, status_of
from corpus import write_image
from PIL import Image

from server_api.store.import_items import MAX_BATCH_BYTES, MAX_BATCH_FILES, MAX_BATCHED_FILE
from server_api.store.rest.client import RestVaultStore
from server_api.workflows.importing import import_paths

BOUNDARY = "batchbatch"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AbuseServer(tmp_path_factory.mktemp("batch")) as live:
        yield live


@pytest.fixture
def artist(server):
    token = server.account(f"artist{time.monotonic_ns()}")
    return token, server.collection(token, "Batches")


def form(files: list[tuple[dict, bytes]], *, item_first: bool = True) -> bytes:
    parts = []
    for described, data in files:
        item = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="item"\r\n\r\n'
                f"{json.dumps(described)}\r\n").encode()
        file = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f.png"\r\n\r\n'
                ).encode() + data + b"\r\n"
        parts += [item, file] if item_first else [file, item]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def described(path: str, data: bytes, **more) -> dict:
    return {"original_path": path, "sha256": hashlib.sha256(data).hexdigest(), **more}


def post(server, token, collection_id, body, **headers):
    return server.call("POST", f"/api/v1/collections/{collection_id}/imports/batch", token, data=body,
                       headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **headers})


def test_a_batch_answers_one_verdict_per_file(server, artist, tmp_path):
    token, collection_id = artist
    good = write_image(tmp_path / "good.png", seed=1).read_bytes()
    answer = post(server, token, collection_id, form([
        (described("/art/good.png", good, key="k1"), good),
        (described("/art/bad.png", b"not an image"), b"not an image"),
    ]))
    assert answer.status_code == 200, answer.text
    verdicts = answer.json()["items"]
    assert [v["status"] for v in verdicts] == ["added", "rejected"]
    assert "bad.png" in verdicts[1]["error"]


@pytest.mark.parametrize("files, item_first, expected", [
    ([({"sha256": "0" * 64}, b"x")], True, "needs original_path and sha256"),
    ([(described("/a.png", b"x"), b"x")], False, "must follow its item part"),
    ([({"original_path": "/a.png", "sha256": "0" * 64, "colour": "red"}, b"x")], True,
     "unknown field 'colour'"),
    ([], True, "has no 'file' part"),
])
def test_a_malformed_batch_is_refused_naming_what_is_wrong(server, artist, files, item_first, expected):
    token, collection_id = artist
    answer = post(server, token, collection_id, form(files, item_first=item_first))
    assert answer.status_code == 400 and expected in answer.json()["message"], answer.text
    assert server.call("GET", f"/api/v1/collections/{collection_id}/textures", token).json()["items"] == []


def test_an_item_that_is_not_json_is_refused(server, artist):
    token, collection_id = artist
    body = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="item"\r\n\r\n{{not json\r\n'
            f"--{BOUNDARY}--\r\n").encode()
    answer = post(server, token, collection_id, body)
    assert answer.status_code == 400 and "item 1 is not a JSON object" in answer.json()["message"]


def test_too_many_files_or_bytes_are_refused_with_the_limit(server, artist):
    token, collection_id = artist
    many = form([(described(f"/art/{i}.png", b"x"), b"x") for i in range(MAX_BATCH_FILES + 1)])
    answer = post(server, token, collection_id, many)
    assert answer.status_code == 413 and f"at most {MAX_BATCH_FILES} files" in answer.json()["message"]

    chunk = os.urandom(MAX_BATCHED_FILE)
    heavy = form([(described(f"/art/big{i}.png", chunk), chunk)
                  for i in range(MAX_BATCH_BYTES // MAX_BATCHED_FILE + 1)])
    answer = post(server, token, collection_id, heavy)  # Content-Length says so: refused up front
    assert answer.status_code == 413 and "over the limit" in answer.json()["message"], answer.text
    pieces = iter([heavy[i:i + 65536] for i in range(0, len(heavy), 65536)])
    chunked = post(server, token, collection_id, pieces)
    assert chunked.status_code == 413, chunked.text  # no length given: refused once the bytes pass it
    assert f"at most {MAX_BATCH_BYTES} bytes of files" in chunked.json()["message"]

    # A Content-Length over the limit is refused before a byte of the body is read.
    assert _raw_status(server, token, collection_id, head_only_length=1 << 30) == 413
    assert server.call("GET", f"/api/v1/collections/{collection_id}/textures", token).json()["items"] == []


def test_a_batch_cut_off_part_way_stores_nothing(server, artist, tmp_path):
    token, collection_id = artist
    images = [write_image(tmp_path / f"c{i}.png", seed=i).read_bytes() for i in range(6)]
    files = [(described(f"/art/cut{i}.png", data), data) for i, data in enumerate(images)]
    body = form(files)
    _raw_status(server, token, collection_id, body=body[: len(body) * 2 // 3])  # then it goes away
    time.sleep(0.5)
    assert server.call("GET", f"/api/v1/collections/{collection_id}/textures", token).json()["items"] == []
    assert not any((server.data / "tmp").glob("*"))  # no temp file left behind either
    # The same batch sent whole afterwards lands completely.
    answer = post(server, token, collection_id, body)
    assert [v["status"] for v in answer.json()["items"]] == ["added"] * 6


def test_vault_import_sends_small_files_in_batches_and_a_big_one_alone(server, artist, tmp_path):
    token, collection_id = artist
    for i in range(MAX_BATCH_FILES + 6):
        write_image(tmp_path / "drop" / f"t{i:03}.png", size=(16, 16), seed=i)
    big = tmp_path / "drop" / "z_big.png"
    Image.frombytes("RGB", (1300, 1300), os.urandom(1300 * 1300 * 3)).save(big)
    assert big.stat().st_size > MAX_BATCHED_FILE
    store = RestVaultStore(server.url, token=token)
    try:
        results = import_paths(store, collection_id, [tmp_path / "drop"])
        again = import_paths(store, collection_id, [tmp_path / "drop"])
    finally:
        store.close()
    assert [r.status for r in results] == ["added"] * (MAX_BATCH_FILES + 7)
    assert {r.status for r in again} == {"unchanged"}
    assert results[-1].path == str(big) and results[-1].width == 1300


def _raw_status(server, token, collection_id, *, body: bytes = b"", head_only_length: int | None = None):
    """Send a batch's headers and ``body`` over a raw socket, then close it (an interrupted client);
    the status the server answered first, if any."""
    length = head_only_length or len(body) * 2
    head = (f"POST /api/v1/collections/{collection_id}/imports/batch HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    try:
        sock.sendall(head + body)
        if head_only_length:
            return status_of(sock, 5)
        sock.shutdown(socket.SHUT_WR)
        return status_of(sock, 2)
    finally:
        sock.close()
