"""A full data volume over real HTTP (issue 10): 507 insufficient_storage naming the volume, never a
500, and deletes keep working. The server runs with its data folder on a small tmpfs of its own."""

from __future__ import annotations

import io
import random

import pytest
from abuse_server import AbuseServer
from PIL import Image


def noise_png(seed: int, side: int = 700) -> bytes:
    buffer = io.BytesIO()
    pixels = random.Random(seed).randbytes(side * side * 3)
    Image.frombytes("RGB", (side, side), pixels).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()  # ~1.4 MiB that no disk compresses


def fill(server: AbuseServer, token: str, collection: int, attempts: int = 60) -> tuple[list[int], object]:
    made, refused = [], None
    for i in range(attempts):
        answer = server.call("POST", f"/api/v1/collections/{collection}/textures", token,
                             files={"file": (f"n{i}.png", noise_png(i))},
                             data={"original_path": f"/n{i}.png"})
        if answer.status_code != 201:
            refused = answer
            break
        made.append(answer.json()["id"])
    return made, refused


@pytest.mark.parametrize("reserve_mb", ["8", "0"], ids=["reserve-kept", "disk-really-full"])
def test_a_full_disk_is_507_naming_the_volume_and_deletes_still_work(tmp_path, reserve_mb):
    env = {"VAULT_MIN_FREE_MB": reserve_mb}
    with AbuseServer(tmp_path, env=env, volume_mb=40) as server:
        token = server.account("artist")
        collection = server.collection(token, "Fill")
        made, refused = fill(server, token, collection)
        assert refused is not None and made, "the 40 MiB volume never filled"
        assert refused.status_code == 507, refused.text
        body = refused.json()
        assert body["code"] == "insufficient_storage" and str(server.data) in body["message"]
        for texture_id in made[:3]:
            gone = server.call("DELETE", f"/api/v1/textures/{texture_id}", token)
            assert gone.status_code == 204, gone.text
        assert server.call("GET", "/api/v1/collections", token).status_code == 200
        assert "Traceback" not in server.log_text()
