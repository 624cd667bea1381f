"""Materials benchmark: the first page of materials in a 100,000-texture collection, local vault.

Goal (issue 12): first page <= 20 ms. Also prints a later page (keyset: no slower at depth), one
material, and grouping 10,000 file names (the pure function).

    .venv/bin/python bench/materials_bench.py [--textures 100000] [--materials 4000] [--maps 5]

Textures are made through the store's bulk path (one shared source image); materials through
create_material, so every one has a real first material version.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROLES = ("base_color", "normal", "roughness", "metallic", "ambient_occlusion", "height")


def timed(call, runs: int = 30) -> tuple[float, float]:
    """(median, max) milliseconds of ``runs`` calls, after one warm-up."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textures", type=int, default=100_000)
    parser.add_argument("--materials", type=int, default=4_000)
    parser.add_argument("--maps", type=int, default=5)
    args = parser.parse_args(argv)
    from PIL import Image

    from server_api.store.material_entities import MapSpec
    from server_api.store.sql.bulk import BulkTexture
    from server_api.store.sql.store import SqlVaultStore
    from server_api.workflows.grouping import group_files

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "source.png"
        Image.effect_noise((256, 256), 40).convert("RGB").save(source)
        store = SqlVaultStore.open_local(folder / "vault")
        coll = store.create_collection("Bench")
        start = time.perf_counter()
        ids = store.bulk_add_textures(
            coll.id,
            [
                BulkTexture(original_path=f"/art/set_{i // args.maps:06d}/m_{ROLES[i % args.maps]}.png")
                for i in range(args.textures)
            ],
            str(source),
        )
        made = time.perf_counter()
        for m in range(args.materials):
            chunk = ids[m * args.maps : (m + 1) * args.maps]
            store.create_material(
                coll.id, f"Material {m:05d}", [MapSpec(t, ROLES[k]) for k, t in enumerate(chunk)]
            )
        done = time.perf_counter()
        print(
            f"set-up: {args.textures} textures in {made - start:.1f} s, {args.materials} materials of "
            f"{args.maps} maps in {done - made:.1f} s"
        )
        first = store.list_materials(coll.id, limit=200)
        median, worst = timed(lambda: store.list_materials(coll.id, limit=200))
        print(
            f"first page (200 materials, {200 * args.maps} maps): median {median:.1f} ms, max {worst:.1f} ms "
            f"(goal <= 20 ms)"
        )
        cursor = first.next
        for _ in range(args.materials // 200 - 2):
            cursor = store.list_materials(coll.id, limit=200, cursor=cursor).next
        median, worst = timed(lambda: store.list_materials(coll.id, limit=200, cursor=cursor))
        print(f"a page near the end: median {median:.1f} ms, max {worst:.1f} ms")
        median, worst = timed(lambda: store.get_material(first.items[0].id))
        print(f"one material: median {median:.2f} ms, max {worst:.2f} ms")
        names = [
            f"/lib/set_{i // 6:05d}/Set{i // 6:05d}_2K-PNG_{r}.png"
            for i, r in enumerate(
                ["Color", "NormalGL", "Roughness", "Metalness", "AmbientOcclusion", "Displacement"] * 1667
            )
        ][:10_000]
        median, worst = timed(lambda: group_files(names), runs=5)
        print(f"grouping 10,000 file names: median {median:.0f} ms, max {worst:.0f} ms")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
