"""A 1 GiB upload must stream: the server's resident memory may grow by less than 50 MB.

The body is made on the fly (a small real PNG followed by 1 GiB of padding after its end chunk, so
every byte is received, hashed, staged and stored, while Pillow only decodes the tiny image), and
the server runs in its own process so its RSS is measured alone. Takes ~10-30 s: marked slow."""

from __future__ import annotations

import threading
import time

import pytest
from corpus import write_image
from live_server import LiveServer

GIB = 1 << 30
CHUNK = 1 << 20


class PaddedImage:
    """A readable stream: a real PNG, then zeros, ``total`` bytes in all (never all in memory)."""

    def __init__(self, head: bytes, total: int):
        self.head, self.total, self.sent = head, total, 0
        self.zeros = bytes(CHUNK)

    def read(self, size: int = -1) -> bytes:
        size = CHUNK if size is None or size < 0 else min(size, CHUNK)
        if self.sent < len(self.head):
            piece = self.head[self.sent:self.sent + size]
        else:
            piece = self.zeros[: max(0, min(size, self.total - self.sent))]
        self.sent += len(piece)
        return piece

    def seekable(self) -> bool:
        return False


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


@pytest.mark.slow
def test_a_1_gib_upload_grows_server_memory_by_less_than_50_mb(tmp_path):
    server = LiveServer(tmp_path / "server", subprocess=True, max_upload_bytes=2 * GIB).start()
    try:
        store = server.store(server.add_user("root", admin=True))
        collection = store.create_collection("Big").id
        small = write_image(tmp_path / "warm.png", size=(64, 64))
        store.add_texture(collection, small, original_path="/art/warm.png")  # warm every code path
        pid = server.process.pid
        before = rss_bytes(pid)
        peak = [before]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], rss_bytes(pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        try:
            texture = store.add_texture(collection, PaddedImage(small.read_bytes(), GIB),
                                        original_path="/art/big.png")
        finally:
            done.set()
            sampler.join()
        seconds = time.perf_counter() - started
        growth = peak[0] - before
        print(f"1 GiB upload: {seconds:.1f} s ({GIB / seconds / 1e6:.0f} MB/s), server RSS "
              f"{before / 1e6:.0f} MB -> peak {peak[0] / 1e6:.0f} MB (+{growth / 1e6:.1f} MB)")
        assert texture.current.byte_size == GIB
        assert growth < 50e6
    finally:
        server.stop()
