"""Every imported version has its blob, its row and its thumbnail, whatever its size (files under
1 MiB had none: the thumbnail was stored only in the branch that released big blobs' page cache).
`vault fsck` finds missing and corrupt thumbnails; `vault fsck --repair` makes them again."""

from __future__ import annotations

import io
import json

from corpus import write_image
from PIL import Image

from server_api.workflows.importing import import_paths


def _all_versions(store, collection_id):
    return [store.get_texture(t.id).current for t in store.list_textures(collection_id, limit=1000).items]


def test_every_imported_file_has_its_blob_row_and_thumbnail(local_store, tmp_path):
    collection = local_store.create_collection("Small")
    files = [write_image(tmp_path / "in" / f"t{i:03}.png", kind, size=(64 + i, 48), seed=i)
             for i, kind in enumerate(["png_rgb", "png_rgba", "jpeg", "tiff_16_gray", "bmp"] * 8)]
    files.append(write_image(tmp_path / "in" / "big.png", "png_rgb", size=(1400, 1400), seed=99))
    results = import_paths(local_store, collection.id, [tmp_path / "in"])
    assert [r.status for r in results] == ["added"] * len(files)
    versions = _all_versions(local_store, collection.id)
    assert len(versions) == len(files)  # a row for every file
    for version in versions:
        assert local_store.content.verify(version.sha256)  # its bytes, intact
        stored = local_store.content.get_derived(version.sha256, "thumbnail")
        assert stored is not None, f"no thumbnail for v{version.number} of texture {version.texture_id}"
        with Image.open(io.BytesIO(stored[0])) as thumb:
            assert max(thumb.size) <= 256
    report = local_store.fsck()
    assert report.ok and report.missing_thumbnails == report.corrupt_thumbnails == 0


def _vault(capsys, *args, check_rc):
    from server_api.cli.vault import main

    capsys.readouterr()
    rc = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert rc == check_rc, err
    return out


def test_fsck_reports_missing_and_corrupt_thumbnails_and_repair_makes_them_again(capsys, tmp_path):
    def vault(*args, check_rc):
        return _vault(capsys, *args, check_rc=check_rc)

    vault_dir = tmp_path / "vault"
    vault("--vault", vault_dir, "init", check_rc=0)
    vault("--vault", vault_dir, "collection", "create", "Rocks", check_rc=0)
    for i in range(3):
        write_image(tmp_path / "in" / f"r{i}.png", seed=i)
    vault("--vault", vault_dir, "import", "--collection", "Rocks", tmp_path / "in", check_rc=0)
    thumbs = sorted((vault_dir / "thumbs").rglob("*.*"))
    assert len(thumbs) == 3
    thumbs[0].unlink()
    thumbs[1].write_bytes(b"\xff\xd8 not a jpeg any more")

    found = json.loads(vault("--vault", vault_dir, "fsck", "--json", check_rc=1))
    assert (found["missing_thumbnails"], found["corrupt_thumbnails"], found["ok"]) == (1, 1, False)
    assert sum("thumbnail of texture" in p and "--repair" in p for p in found["problems"]) == 2

    repaired = json.loads(vault("--vault", vault_dir, "fsck", "--repair", "--json", check_rc=0))
    assert (repaired["repaired_thumbnails"], repaired["ok"]) == (2, True)
    after = json.loads(vault("--vault", vault_dir, "fsck", "--json", check_rc=0))
    assert (after["missing_thumbnails"], after["corrupt_thumbnails"], after["ok"]) == (0, 0, True)
