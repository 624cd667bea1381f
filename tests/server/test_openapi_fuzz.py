"""Schemathesis against the live server's /openapi.json with every check it has: no 5xx, and every
answer matches the documented status codes, content types, headers and schemas; invalid input is
refused and valid input accepted (see schemathesis.toml for the few semantic 400/415s). Bounded and
seeded so it runs in the suite; raise FUZZ_EXAMPLES to search harder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from corpus import write_image
from live_server import LiveServer

EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "5")  # per operation and phase
CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_schemathesis_finds_no_server_error_and_no_broken_promise(tmp_path):
    with LiveServer(tmp_path / "server", max_upload_bytes=1 << 20) as server:
        token = server.add_user("root", admin=True)
        store = server.store(token)
        collection = store.create_collection("Fuzzed")  # something real for generated ids to hit
        store.add_texture(collection.id, write_image(tmp_path / "a.png"), original_path="/art/a.png")
        run = subprocess.run(
            [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(CONFIG), "run",
             f"{server.url}/openapi.json", "--checks", "all", "--max-examples", EXAMPLES, "--seed", "1",
             "-H", f"Authorization: Bearer {token}",
             "--exclude-path", "/api/v1/auth/logout",  # would spend the token the run signs in with
             "--exclude-path", "/api/v1/changes/stream",  # Server-Sent Events: an answer that never ends
             "--workers", "1", "--no-color"],
            capture_output=True, text=True, timeout=600,
        )
    summary = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert run.returncode == 0 and summary, run.stdout[-4000:]
    generated, passed = map(int, summary.groups())
    print(f"schemathesis: {generated} cases, {passed} passed")
    assert generated == passed and generated > 300
