"""Uploads over real HTTP: the size limit (413 at one byte over), streaming, integrity, idempotency."""

from __future__ import annotations

import hashlib
import io
import random
import secrets

import pytest
import requests
from corpus import write_image
from live_server import LiveServer
from PIL import Image

LIMIT = 200_000


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path / "server", max_upload_bytes=LIMIT) as live:
        live.token = live.add_user("root", admin=True)
        live.vault = live.store(live.token)
        live.collection = live.vault.create_collection("Uploads").id
        yield live


def multipart(fields: dict[str, str], file_bytes: bytes, boundary: str = "b0undary") -> bytes:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
                 "Content-Type: image/png\r\n\r\n".encode() + file_bytes + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def post(server, body, *, chunked=False, headers=None):
    url = f"{server.url}/api/v1/collections/{server.collection}/textures"
    data = (body[i:i + 8192] for i in range(0, len(body), 8192)) if chunked else body
    return requests.post(url, data=data, timeout=30, headers={
        "Authorization": f"Bearer {server.token}", "Content-Type": "multipart/form-data; boundary=b0undary",
        **(headers or {})})


def noise_png(width: int, height: int) -> bytes:
    """Pixels PNG cannot compress, so the file is about as big as we ask (the note pads the rest)."""
    buffer = io.BytesIO()
    pixels = random.Random(7).randbytes(width * height * 3)
    Image.frombytes("RGB", (width, height), pixels).save(buffer, "PNG")
    return buffer.getvalue()


def body_of_size(size: int, image: bytes) -> bytes:
    """A valid upload exactly ``size`` bytes long (the note field takes up the slack)."""
    base = multipart({"original_path": "/art/a.png", "note": ""}, image)
    return multipart({"original_path": "/art/a.png", "note": "n" * (size - len(base))}, image)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_at_the_limit_is_taken_and_one_byte_over_is_413(server, tmp_path, chunked):
    candidates = (noise_png(side, side) for side in range(200, 300))
    image = next(png for png in candidates if LIMIT - 5000 < len(png) < LIMIT - 1000)
    over = post(server, body_of_size(LIMIT + 1, image), chunked=chunked)
    assert over.status_code == 413
    assert over.json()["code"] == "too_large" and str(LIMIT) in over.json()["message"]
    assert server.vault.count_textures(server.collection) == 0
    at_limit = post(server, body_of_size(LIMIT, image), chunked=chunked)
    assert at_limit.status_code == 201, at_limit.text
    assert server.vault.count_textures(server.collection) == 1


def test_a_refused_upload_leaves_no_file_behind(server, tmp_path):
    image = write_image(tmp_path / "a.png").read_bytes()
    post(server, body_of_size(LIMIT + 50_000, image), chunked=True)
    post(server, multipart({"original_path": "/art/x.png", "sha256": "0" * 64}, image))
    post(server, multipart({"original_path": "/art/x.png"}, b"not an image at all"))
    leftovers = list((server.data_dir / "tmp").iterdir())
    assert leftovers == []
    assert server.vault.count_textures(server.collection) == 0


def test_bytes_damaged_in_transit_are_refused(server, tmp_path):
    image = write_image(tmp_path / "a.png").read_bytes()
    answer = post(server, multipart({"original_path": "/art/a.png", "sha256": "0" * 64}, image))
    assert answer.status_code == 400 and "damaged in transit" in answer.json()["message"]
    assert server.vault.count_textures(server.collection) == 0


@pytest.mark.parametrize("body, words", [
    (b"hello", "multipart/form-data"),
    (multipart({"note": "no path"}, b"x"), "original_path"),
    (b"--b0undary\r\nContent-Disposition: form-data; name=\"original_path\"\r\n\r\n/a\r\n--b0undary--\r\n",
     "no 'file'"),
])
def test_malformed_uploads_are_400_naming_what_is_wrong(server, body, words):
    headers = {"Content-Type": "text/plain"} if body == b"hello" else None
    answer = post(server, body, headers=headers)
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "invalid_argument" and words in answer.json()["message"]


def test_the_same_idempotency_key_makes_one_texture_and_one_version(server, tmp_path):
    image = write_image(tmp_path / "a.png").read_bytes()
    key = secrets.token_hex(16)
    first = post(server, multipart({"original_path": "/art/a.png"}, image), headers={"Idempotency-Key": key})
    again = post(server, multipart({"original_path": "/art/a.png"}, image), headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    texture_id = first.json()["id"]
    v2 = write_image(tmp_path / "b.png", seed=2)
    made = [server.vault.add_version(texture_id, v2, upload_key="v2-key") for _ in range(2)]
    assert made[0].id == made[1].id
    assert [v.number for v in server.vault.list_versions(texture_id)] == [2, 1]


def test_rest_uploads_report_progress_up_to_the_whole_file(server, tmp_path):
    path = write_image(tmp_path / "big.png", size=(300, 200))
    seen = []
    texture = server.vault.add_texture(server.collection, path, original_path="/art/big.png",
                                       progress=lambda done, total: seen.append((done, total)))
    size = path.stat().st_size
    assert seen and seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert texture.current.byte_size == size
    with server.vault.open_version(texture.current.id) as stream:
        assert stream.read() == path.read_bytes()


def test_a_file_sent_before_its_fields_is_still_stored(server, tmp_path):
    image = write_image(tmp_path / "a.png").read_bytes()
    boundary = "b0undary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'.encode()
            + image + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="original_path"\r\n\r\n'
            f"/art/late.png\r\n--{boundary}--\r\n".encode())
    answer = post(server, body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["original_path"] == "/art/late.png"
    assert list((server.data_dir / "tmp").iterdir()) == []


def test_a_refused_uploader_is_answered_without_the_server_reading_the_whole_body(tmp_path):
    with LiveServer(tmp_path / "roomy", max_upload_bytes=1 << 30) as roomy:
        admin = roomy.store(roomy.add_user("root", admin=True))
        collection = admin.create_collection("Read only").id
        admin.create_user("rita", "a long enough password")
        admin.set_grant(collection, "rita", "read")
        token = roomy.login("rita", "a long enough password")
        sent, answer = _upload_forever(f"{roomy.url}/api/v1/collections/{collection}/textures", token)
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert sent < 256 << 20  # the server answered and stopped reading long before the end


def _upload_forever(url: str, token: str):
    head = multipart({"original_path": "/art/a.png"}, b"").rsplit(b"\r\n--", 1)[0]
    total, sent = 256 << 20, [0]

    def body():
        yield head
        chunk = bytes(1 << 20)
        while sent[0] < total:
            sent[0] += len(chunk)
            yield chunk

    answer = requests.post(url, data=body(), timeout=60, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "multipart/form-data; boundary=b0undary"})
    return sent[0], answer


def test_a_field_sent_after_a_file_that_followed_other_fields_is_refused(server, tmp_path):
    image = write_image(tmp_path / "a.png").read_bytes()
    late_note = b'--b0undary\r\nContent-Disposition: form-data; name="note"\r\n\r\nlate\r\n--b0undary--'
    body = multipart({"original_path": "/art/a.png"}, image).replace(b"--b0undary--", late_note)
    answer = post(server, body)
    assert answer.status_code == 400 and "'note' came after the file" in answer.json()["message"]
    assert server.vault.count_textures(server.collection) == 0


def test_an_import_with_a_bad_defer_flag_is_400_naming_it_and_stores_nothing(server, tmp_path):
    image = write_image(tmp_path / "a.png").read_bytes()
    fields = {"original_path": "/art/a.png", "sha256": hashlib.sha256(image).hexdigest(),
              "defer_material_version": "maybe"}
    answer = requests.post(f"{server.url}/api/v1/collections/{server.collection}/imports",
                           data=multipart(fields, image), timeout=30, headers={
                               "Authorization": f"Bearer {server.token}",
                               "Content-Type": "multipart/form-data; boundary=b0undary"})
    assert answer.status_code == 400 and "defer_material_version" in answer.json()["message"]
    assert server.vault.count_textures(server.collection) == 0
