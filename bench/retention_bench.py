"""Retention benchmark (issue 15): apply keep-last 3 to a collection of 10,000 textures x 10 versions,
and import speed with and without a policy set.

    .venv/bin/python bench/retention_bench.py [--textures 10000] [--versions 10] [--keep 3]
                                              [--import-files 200] [--rounds 3] [--postgres URL]

(1) Rows come from the store's bulk path (version 1 for every texture) plus one executemany for
versions 2..N, each naming its own (fake) sha256 so the "bytes gc frees" measure has real work to do;
the rows describe bytes they do not hold, as bulk rows do. Timed: the preview, and set_retention
(one transaction), with the SQL statements each sends. (2) The same batch import (`import_paths`,
new versions of existing textures) into a collection without a policy and one with keep-last 3,
alternating, best and median files/s of each.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@contextmanager
def counting(engine):
    """Statements sent to the database inside the block (every cursor execute, executemany = 1);
    ``seen.retention_s`` adds up the time of the retention UPDATEs among them."""
    from sqlalchemy import event

    seen = Seen()
    started: list[float] = []

    def before(conn, cursor, statement, *args):
        seen.append(statement.split(None, 1)[0].upper())
        started.append(time.perf_counter())

    def after(conn, cursor, statement, *args):
        took = time.perf_counter() - started.pop()
        if statement.lstrip().upper().startswith("UPDATE IMAGE_VERSION SET TRASHED_AT"):
            seen.retention_s += took
            seen.retention_statements += 1

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


class Seen(list):
    retention_s = 0.0
    retention_statements = 0


def make_history(store, collection_id: int, textures: int, versions: int, source: Path) -> None:
    from sqlalchemy import insert, select, update

    from server_api.store.sql.bulk import BulkTexture
    from server_api.store.sql.convert import T, V

    ids = store.bulk_add_textures(collection_id, [BulkTexture(original_path=f"/art/r/tex_{i:06d}.png")
                                                  for i in range(textures)], str(source), batch_size=5000)
    with store.session() as s:
        first = s.execute(select(V).where(V.c.texture_id == ids[0])).mappings().one()
        template = {k: v for k, v in first.items() if k not in ("id", "texture_id", "number", "blob_sha256",
                                                                 "upload_key")}
        rows = [{**template, "texture_id": t, "number": n, "upload_key": None,
                 "blob_sha256": hashlib.sha256(f"{t}:{n}".encode()).hexdigest()}
                for t in ids for n in range(2, versions + 1)]
        for start in range(0, len(rows), 20_000):
            s.execute(insert(V), rows[start:start + 20_000])
        newest = select(V.c.id).where(V.c.texture_id == T.c.id, V.c.number == versions).scalar_subquery()
        s.execute(update(T).where(T.c.collection_id == collection_id).values(current_version_id=newest))


def apply_figure(store, args, folder: Path) -> None:
    from PIL import Image

    source = folder / "source.png"
    Image.effect_noise((256, 256), 40).convert("RGB").save(source)
    collection = store.create_collection("Retention bench")
    t0 = time.perf_counter()
    make_history(store, collection.id, args.textures, args.versions, source)
    took = time.perf_counter() - t0
    print(f"set-up: {args.textures:,} textures x {args.versions} versions in {took:.1f} s")
    with counting(store.engine) as seen:
        t0 = time.perf_counter()
        preview = store.retention_preview(collection.id, args.keep)
        took = time.perf_counter() - t0
    print(f"preview keep-last {args.keep}: {preview.versions:,} versions, "
          f"{preview.byte_size / 2**20:,.1f} MiB, gc frees {preview.reclaimable_bytes / 2**20:,.1f} MiB; "
          f"{took * 1000:,.0f} ms, {len(seen)} statements")
    with counting(store.engine) as seen:
        t0 = time.perf_counter()
        report = store.set_retention(collection.id, args.keep)
        took = time.perf_counter() - t0
    kinds = {k: seen.count(k) for k in dict.fromkeys(seen)}
    print(f"apply keep-last {args.keep}: {report.versions:,} versions to the version trash in "
          f"{took * 1000:,.0f} ms, {len(seen)} statements {kinds}")
    t0 = time.perf_counter()
    again = store.set_retention(collection.id, args.keep)
    took = time.perf_counter() - t0
    print(f"apply again (nothing to move): {again.versions} versions in {took * 1000:,.0f} ms")


def write_pngs(folder: Path, count: int, seed: int, side: int = 128) -> list[Path]:
    """``count`` small PNGs at the same paths every time, different pixels for each ``seed``."""
    import random

    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    base = Image.linear_gradient("L").resize((side, side))
    grain = Image.effect_noise((side, side), 24).convert("L")
    paths = []
    for i in range(count):
        tint = [rnd.randrange(256) for _ in range(3)]
        bands = [Image.blend(base, grain, 0.3).point(lambda v, t=t: (v + t) % 256) for t in tint]
        path = folder / f"tex_{i:04}.png"
        Image.merge("RGB", bands).save(path, "PNG")
        paths.append(path)
    return paths


def import_figure(store, args, folder: Path) -> None:
    from server_api.workflows.importing import import_paths

    plain = store.create_collection("No policy")
    kept = store.create_collection("Keep 3")
    store.set_retention(kept.id, 3)
    src = {c.id: folder / f"drop_{c.id}" for c in (plain, kept)}
    for c in (plain, kept):
        import_paths(store, c.id, write_pngs(src[c.id], args.import_files, seed=0))
    speeds: dict[str, list[float]] = {"no policy": [], "keep-last 3": []}
    statements: dict[str, list[int]] = {"no policy": [], "keep-last 3": []}
    policy_ms: list[float] = []
    policy_statements: list[int] = []
    for round_ in range(1, args.rounds + 1):
        for label, c in (("no policy", plain), ("keep-last 3", kept)):
            paths = write_pngs(src[c.id], args.import_files, seed=round_)
            with counting(store.engine) as seen:
                t0 = time.perf_counter()
                results = import_paths(store, c.id, paths)
                took = time.perf_counter() - t0
            assert {r.status for r in results} == {"new_version"}, {r.status for r in results}
            speeds[label].append(len(paths) / took)
            statements[label].append(len(seen))
            if c.id == kept.id:
                policy_ms.append(seen.retention_s * 1000)
                policy_statements.append(seen.retention_statements)
    for label, values in speeds.items():
        print(f"import {args.import_files} new versions, {label}: best {max(values):,.0f} files/s, "
              f"median {statistics.median(values):,.0f} files/s over {args.rounds} rounds; "
              f"statements per import {statements[label]}")
    print(f"the policy's own cost per import of {args.import_files} files: retention UPDATEs "
          f"{policy_statements} (one per write batch), "
          f"{', '.join(f'{ms:.1f}' for ms in policy_ms)} ms in all")
    trashed = len(store.list_version_trash(kept.id, limit=10_000))
    print(f"(keep-last 3 collection: {trashed:,} versions in the version trash after "
          f"{args.rounds + 1} imports)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textures", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--keep", type=int, default=3)
    parser.add_argument("--import-files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database (default: a local vault); "
                        "'temp' starts the tests' throwaway cluster (durability off)")
    args = parser.parse_args()

    from server_api.store.sql.store import SqlVaultStore

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.postgres:
            url = args.postgres
            if url == "temp":
                sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
                from postgres import fresh_database_url

                url = fresh_database_url()
            root = SqlVaultStore.open_server(url, folder / "data")
            root.create_admin("bench", None)
            store = root.for_user("bench")
        else:
            store = SqlVaultStore.open_local(folder / "vault")
        try:
            apply_figure(store, args, folder)
            import_figure(store, args, folder)
        finally:
            store.close()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
