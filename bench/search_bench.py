"""Search benchmark (issue 14): 100,000 textures with tags and perceptual hashes, local and over HTTP.

Goals: a tag query page <= 20 ms p95 local and <= 50 ms over HTTP; cross-collection search
<= 50 ms; similar search <= 100 ms; a colour: page (alone, with a tag, across collections, by
rank) <= 50 ms local. Prints the figures (never asserts them).

    .venv/bin/python bench/search_bench.py [--textures 100000] [--collections 4] [--runs 40]

Set-up: textures through the store's bulk path, spread over ``--collections`` collections; 60 tags
in 10 families (a parent "family_K" over "tag_K_0".."tag_K_4" children), each texture with 2 tags
through tag_textures (the same call the CLI and the GUI make); one texture is tagged "rare".
The caller is an admin who reads every collection, so search spans all of them.
Hashes: every version gets bytes of its own (a made-up sha256: nothing reads the blob) with a
fingerprint: a random 64-bit hash, 1 in 10 in families of 5 near-duplicates (0..6 bits flipped),
and a 3-colour palette. bench/hash_index_bench.py measures the hash index alone at 1M.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from server_bench import PASSWORD, free_port, make_padded_png, start_server  # noqa: E402


def p95(call, runs: int) -> tuple[float, float]:
    """(median, p95) milliseconds of ``runs`` calls, after two warm-ups."""
    call()
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def prepare(data: Path, textures: int, collections: int) -> list[int]:
    from server_api.cli.server import create_account
    from server_api.core.settings import settings
    from server_api.store.sql.bulk import BulkTexture
    from server_api.store.sql.opening import open_server_store

    root = open_server_store(settings(), data)
    try:
        create_account(root, "bench", PASSWORD, admin=True)
        store = root.for_user("bench")
        sample = make_padded_png(data / "sample.png", 0, 1)
        per = textures // collections
        started = time.perf_counter()
        ids, collection_ids = [], []
        for c in range(collections):
            cid = store.create_collection(f"Set {c}").id
            collection_ids.append(cid)
            ids += store.bulk_add_textures(cid, (BulkTexture(original_path=f"/art/c{c}/tex_{i:06}.png")
                                                 for i in range(per)), sample)
        made = time.perf_counter()
        for family in range(10):
            for child in range(5):
                store.tag_textures([], add=[f"tag_{family}_{child}"])
        for k in range(50):  # texture i gets tag (i % 50) and tag ((i * 7 + 3) % 50)
            mine = [t for i, t in enumerate(ids) if i % 50 == k or (i * 7 + 3) % 50 == k]
            store.tag_textures(mine, add=[f"tag_{k // 5}_{k % 5}"])
        store.tag_textures([ids[7]], add=["rare"])  # one texture, no children
        for family in range(10):
            for child in range(5):
                store.tag_textures([ids[family]], add=[f"family_{family}"])
                store.set_tag_parent(f"tag_{family}_{child}", f"family_{family}")
        print(f"set-up: {len(ids)} textures in {collections} collections {made - started:.1f} s, "
              f"tagged (2 tags each, 60 tags) in {time.perf_counter() - made:.1f} s")
        made = time.perf_counter()
        fingerprint_all(root)
        print(f"fingerprints (hash + palette) for every version in {time.perf_counter() - made:.1f} s")
        return collection_ids
    finally:
        root.close()


def fingerprint_all(root) -> None:
    """Distinct bytes and a fingerprint per version (see the module's docstring)."""
    import random

    from sqlalchemy import bindparam, select, update

    from server_api.imaging.fingerprint import Fingerprint, LabColour
    from server_api.store.sql import fingerprint_rows
    from server_api.store.sql.convert import V

    rnd = random.Random(14)
    with root.session() as s:
        version_ids = list(s.execute(select(V.c.id).order_by(V.c.id)).scalars())
        s.execute(update(V).where(V.c.id == bindparam("vid")).values(blob_sha256=bindparam("sha")),
                  [{"vid": v, "sha": f"{v:064x}"} for v in version_ids])
        pairs, base = [], 0
        for n, v in enumerate(version_ids):
            if n % 50 < 5:  # families: 5 versions in every 50 look alike
                base = rnd.getrandbits(64) if n % 50 == 0 else base
                h = base
                for _ in range(rnd.randrange(7)):
                    h ^= 1 << rnd.randrange(64)
            else:
                h = rnd.getrandbits(64)
            palette = tuple(LabColour(rnd.uniform(5, 95), rnd.uniform(-60, 60), rnd.uniform(-60, 60), w)
                            for w in (0.6, 0.3, 0.1))
            pairs.append((f"{v:064x}", Fingerprint(h, palette)))
        for start in range(0, len(pairs), 5000):
            fingerprint_rows.keep(s, pairs[start:start + 5000])


def measure(label: str, store, collection_id: int, runs: int) -> None:
    from server_api.core.errors import VaultError
    from server_api.store.entities import TextureQuery

    first = store.list_textures(collection_id, TextureQuery(), limit=1).items[0].id
    cases = [
        ("plain page (200), no filter", lambda: store.list_textures(
            collection_id, TextureQuery(), limit=200), None),
        ("tag query page (200)", lambda: store.list_textures(
            collection_id, TextureQuery(text="tag:tag_3_1"), limit=200), 20 if label == "local" else 50),
        ("parent tag page (family of 5)", lambda: store.list_textures(
            collection_id, TextureQuery(text="tag:family_3"), limit=200), None),
        ("tag + words + format + size", lambda: store.list_textures(
            collection_id, TextureQuery(text="tex_00 tag:tag_3_1 -tag:tag_4_4 format:png size:>=1"),
            limit=200), None),
        ("rare tag (1 texture) page", lambda: store.list_textures(
            collection_id, TextureQuery(text="tag:rare"), limit=200), None),
        ("cross-collection search page", lambda: store.search_textures(
            TextureQuery(text="tag:tag_3_1 OR tag:tag_7_2"), limit=200), 50),
        ("count of a tag", lambda: store.count_textures(
            collection_id, TextureQuery(text="tag:tag_3_1")), None),
        ("list_tags with counts", store.list_tags, None),
        ("similar(texture), 20 best", lambda: store.similar(first + 100, limit=20), 100),
        ("similar(family member), 20 best", lambda: store.similar(first, limit=20), 100),
        ("similar:ID query page", lambda: store.list_textures(
            collection_id, TextureQuery(text=f"similar:{first}"), limit=200), None),
        ("colour:#8a5a2b query page", lambda: store.list_textures(
            collection_id, TextureQuery(text="colour:#8a5a2b"), limit=200), None),
        ("colour: cross-collection page", lambda: store.search_textures(
            TextureQuery(text="colour:#3c6e28~10"), limit=200), None),
        ("colour + tag page", lambda: store.list_textures(
            collection_id, TextureQuery(text="colour:#8a5a2b tag:tag_3_1"), limit=200), 50),
        ("count of a colour", lambda: store.count_textures(
            collection_id, TextureQuery(text="colour:#8a5a2b")), None),
        ("colour page by rank", lambda: store.list_textures(
            collection_id, TextureQuery(text="colour:#8a5a2b", sort="rank"), limit=200), 50),
        ("colour + tag page by rank", lambda: store.list_textures(
            collection_id, TextureQuery(text="colour:#8a5a2b tag:tag_3_1", sort="rank"), limit=200), 50),
        ("colour cross-collection by rank", lambda: store.search_textures(
            TextureQuery(text="colour:#3c6e28~10", sort="rank"), limit=200), 50),
        ("similar:ID page by rank", lambda: store.list_textures(
            collection_id, TextureQuery(text=f"similar:{first}", sort="rank"), limit=200), None),
    ]
    for name, call, goal in cases:
        if label == "local" and name.startswith("colour") and goal is None:
            goal = 50  # issue 14's colour goal (local p95 at 100k)
        try:
            median, high = p95(call, runs)
        except VaultError as exc:  # an older tree without sort=rank, for before/after figures
            print(f"{label:5} {name:32} not measured: {exc.message[:60]}")
            continue
        verdict = f" (goal <= {goal} ms: {'met' if high <= goal else 'MISSED'})" if goal else ""
        print(f"{label:5} {name:32} median {median:7.1f} ms  p95 {high:7.1f} ms{verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textures", type=int, default=100_000)
    parser.add_argument("--collections", type=int, default=4)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)

    from server_api.core.settings import settings
    from server_api.store.rest.client import RestVaultStore
    from server_api.store.sql.opening import open_server_store

    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        collections = prepare(data, args.textures, args.collections)
        root = open_server_store(settings(), data)
        try:
            measure("local", root.for_user("bench"), collections[0], args.runs)
        finally:
            root.close()
        port = free_port()
        server = start_server(data, port, 1, None)
        try:
            url = f"http://127.0.0.1:{port}"
            store = RestVaultStore(url, token=RestVaultStore.login(url, "bench", PASSWORD))
            measure("http", store, collections[0], args.runs)
        finally:
            server.terminate()
            server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
