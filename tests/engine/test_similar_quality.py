"""Similar search quality, end to end: varied pictures (soft noise, gradients, shapes, stripes) and
four edited copies of each (resized, JPEG q=70, brightened 20 %, cropped 10 %) imported into one
vault; each copy's original must be among the 4 best answers of similar(copy).

The figures are printed (-s); a copy further than MAX_DISTANCE bits from its original cannot be
found, and counts as a miss."""

from __future__ import annotations

from similar_images import EDITS, picture

from server_api.store.sql.store import SqlVaultStore

PICTURES = 80
ALLOWED_MISSES = 0.03  # of the copies. Measured: 6 of 312 here (5 crops, 1 brightened), 9 of 800
# on 200 pictures; every miss is a copy more than MAX_DISTANCE bits from its original.


def test_every_edited_copy_finds_its_original_among_the_4_best(tmp_path):
    art = tmp_path / "art"
    art.mkdir()
    for seed in range(PICTURES):
        original = picture(seed, 512)
        original.save(art / f"p{seed:03}.png")
        for name, edit in EDITS.items():
            copy = edit(original)
            if name == "jpeg70":
                copy.save(art / f"p{seed:03}_{name}.jpg", quality=70)
            else:
                copy.convert("RGB").save(art / f"p{seed:03}_{name}.png")
    store = SqlVaultStore.open_local(tmp_path / "vault")
    collection = store.create_collection("Corpus")
    results = store.import_batch(collection.id, sorted(str(p) for p in art.iterdir()))
    assert all(r.status == "added" for r in results), [r for r in results if r.status != "added"][:3]
    by_name = {r.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]: r.texture_id for r in results}

    misses, blank, ranks = [], 0, []
    for seed in range(PICTURES):
        original = by_name[f"p{seed:03}"]
        if not store.similar(original, limit=1) and _flat(seed):
            blank += 1  # a near-blank picture has no hash: nothing to find it by
            continue
        for name in EDITS:
            found = [s.texture.id for s in store.similar(by_name[f"p{seed:03}_{name}"], limit=4)]
            if original in found:
                ranks.append(found.index(original))
            else:
                misses.append(f"p{seed:03}_{name}")
    copies = (PICTURES - blank) * len(EDITS)
    print(f"\n{copies} copies: {copies - len(misses)} found their original among the 4 best "
          f"({sum(r == 0 for r in ranks)} first); missed: {', '.join(misses) or 'none'}; "
          f"{blank} near-blank originals")
    assert blank <= 3
    assert len(misses) <= ALLOWED_MISSES * copies, misses


def _flat(seed: int) -> bool:
    from server_api.imaging.fingerprint import phash

    return phash(picture(seed, 256)) is None
