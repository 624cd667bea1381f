"""Pixel QA rules checked AT IMPORT on every face (issue 13): single files, batches (import_paths and
import_many), new versions, PNG and JPEG. The import reads the pixel facts from the decode that makes
the thumbnail; the findings must be exactly those a re-check of the stored bytes gives
(set_qa_rules decodes them again), seam scores to the printed digit."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import texture_files as tf
from PIL import Image

from server_api.store.import_items import ImportItem
from server_api.store.qa_rules import parse_setting
from server_api.workflows.importing import import_paths

PIXEL_RULES = ("unused_alpha", "normal_map=error", "seam=2:warning")


def _rules():
    return [parse_setting(s)[1] for s in PIXEL_RULES]


def _jpeg(path, values):
    Image.fromarray((np.clip(values, 0, 1) * 255 + 0.5).astype(np.uint8)).save(path, quality=95)
    return path


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    opaque = np.ones((256, 256), np.float32)
    return {
        "ramp_roughness.png": tf.save_png(folder / "ramp_roughness.png", tf.hard_edge(256, 256)),
        "fake_normal.png": tf.save_png(folder / "fake_normal.png", tf.seamless(256, 256, seed=9)),
        "brick_normal.png": tf.save_png(folder / "brick_normal.png", tf.normal_map(256, 256)),
        "solid_albedo.png": tf.save_png(folder / "solid_albedo.png", tf.seamless(256, 256), alpha=opaque),
        # big enough that the JPEG decodes at a reduced scale (draft) for the facts and the thumbnail
        "wall_roughness.jpg": _jpeg(folder / "wall_roughness.jpg", tf.hard_edge(1536, 1024)),
        "rock_normal.jpg": _jpeg(folder / "rock_normal.jpg", tf.normal_map(1024, 1024)),
    }


def _found(version) -> list[tuple[str, str, str]]:
    return [(f.rule, f.level, f.message) for f in version.qa]


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pixel_findings_at_import_are_those_of_a_recheck_of_the_stored_bytes(team, files, tmp_path):
    team.owner.set_qa_rules(team.collection_id, _rules())
    results = []
    path = files["ramp_roughness.png"]  # one file, one request
    results.append(team.writer.import_source(team.collection_id, path, original_path=str(path),
                                             sha256=_sha(path)))
    # a batch of paths (the local vault's batched import; one request per file to a server)
    batch = [files[n] for n in ("fake_normal.png", "brick_normal.png", "wall_roughness.jpg")]
    results += import_paths(team.writer, team.collection_id, batch)
    # import_many (a server's batch route)
    items = [ImportItem(str(files[n]), _sha(files[n]), files[n].read_bytes())
             for n in ("solid_albedo.png", "rock_normal.jpg")]
    results += team.writer.import_many(team.collection_id, items)
    assert [r.status for r in results] == ["added"] * 6
    texture_of = {r.path.rsplit("/", 1)[-1]: r.texture_id for r in results}
    at_import = {r.path.rsplit("/", 1)[-1]: _found(r) for r in results}

    assert [r for r, _, _ in at_import["ramp_roughness.png"]] == ["seam"]
    assert [r for r, _, _ in at_import["wall_roughness.jpg"]] == ["seam"]
    assert at_import["ramp_roughness.png"][0][2].startswith("visible seam (x ")
    assert [(r, lv) for r, lv, _ in at_import["fake_normal.png"]] == [("normal_map", "error")]
    assert at_import["brick_normal.png"] == [] and at_import["rock_normal.jpg"] == []
    assert [r for r, _, _ in at_import["solid_albedo.png"]] == ["unused_alpha"]

    # a new version through add_version: checked at import too
    edge = tf.save_png(tmp_path / "edge.png", tf.hard_edge(256, 256).transpose(1, 0, 2))
    version = team.writer.add_version(texture_of["brick_normal.png"], edge)
    at_import["brick_normal.png"] = _found(version)
    assert {r for r, _, _ in at_import["brick_normal.png"]} == {"normal_map", "seam"}

    # the stored findings, then the same rules set again: every current version decoded from its bytes
    stored = {n: _found(team.reader.get_texture(t).current) for n, t in texture_of.items()}
    assert stored == at_import
    team.admin.set_qa_rules(team.collection_id, _rules())
    rechecked = {n: _found(team.reader.get_texture(t).current) for n, t in texture_of.items()}
    assert rechecked == at_import
