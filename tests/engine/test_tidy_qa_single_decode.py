"""Pixel QA rules at import decode each file ONCE (issue 13): the facts come from the decode that makes
the thumbnail, so the stored bytes are never decoded again for them (``facts_of_stream`` counts every
such second decode), except for bytes the vault already held (no analysis, nothing decoded yet).
The facts equal those of a separate decode, and a file whose facts do not fit the decode budget still
imports, its pixel rules unchecked, as before."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import texture_files as tf
from PIL import Image

from server_api.imaging import analysis, pixel_facts
from server_api.imaging.budget import DECODE_BUDGET
from server_api.store.import_items import ImportItem
from server_api.store.qa_rules import parse_setting
from server_api.workflows.importing import import_paths

PIXEL_RULES = [parse_setting(s)[1] for s in ("unused_alpha", "normal_map=error", "seam=2:warning")]


@pytest.fixture
def second_decodes(monkeypatch):
    """How many times the stored bytes were decoded again for their facts (the real function runs)."""
    calls: list[str] = []
    real = pixel_facts.facts_of_stream

    def counted(stream, label):
        calls.append(label)
        return real(stream, label)

    monkeypatch.setattr(pixel_facts, "facts_of_stream", counted)
    return calls


@pytest.fixture
def budget():
    limit = DECODE_BUDGET.limit
    yield
    DECODE_BUDGET.configure(limit)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_import_path_decodes_once(local_store, tmp_path, second_decodes):
    folder = tmp_path / "in"
    folder.mkdir()
    seam = [tf.save_png(folder / f"ramp{i}_roughness.png", tf.hard_edge(256, 256 + i)) for i in range(4)]
    coll = local_store.create_collection("qa")
    local_store.set_qa_rules(coll.id, PIXEL_RULES)  # nothing to re-check yet
    one = local_store.import_source(coll.id, seam[0], original_path=str(seam[0]), sha256=_sha(seam[0]))
    batch = import_paths(local_store, coll.id, [seam[1], seam[2]])
    item = ImportItem(str(seam[3]), _sha(seam[3]), seam[3].read_bytes())
    (many,) = local_store.import_many(coll.id, [item])
    edge = tf.save_png(tmp_path / "other.png", tf.hard_edge(300, 256))
    version = local_store.add_version(one.texture_id, edge)
    assert [[f.rule for f in r.qa] for r in (one, *batch, many)] == [["seam"]] * 4
    assert [f.rule for f in version.qa] == ["seam"]
    assert second_decodes == []
    # bytes the vault already holds are not analyzed again: their facts need the one decode
    other = local_store.create_collection("again")
    local_store.set_qa_rules(other.id, PIXEL_RULES)
    again = local_store.import_source(other.id, seam[0], original_path=str(seam[0]), sha256=_sha(seam[0]))
    assert [f.rule for f in again.qa] == ["seam"] and len(second_decodes) == 1


@pytest.mark.parametrize("kind", ["rgba_png", "grey16_png", "palette_png", "jpeg"])
def test_facts_from_the_thumbnail_decode_equal_a_separate_decode(tmp_path, kind):
    path = tmp_path / f"pic_{kind}.{'jpg' if kind == 'jpeg' else 'png'}"
    values = tf.hard_edge(1100, 700)
    if kind == "rgba_png":
        tf.save_png(path, values, alpha=np.ones((700, 1100), np.float32))
    elif kind == "grey16_png":
        Image.fromarray((values[:, :, 0] * 65535).astype(np.uint16)).save(path)
    elif kind == "palette_png":
        Image.fromarray((values * 255).astype(np.uint8)).quantize(64).save(path)
    else:
        Image.fromarray((values * 255).astype(np.uint8)).save(path, quality=90)
    info, thumb, facts = analysis.analyze_with_facts(path)
    with open(path, "rb") as stream:
        assert facts == pixel_facts.facts_of_stream(stream, path.name)
    plain_info, plain_thumb = analysis.analyze(path)
    assert info == plain_info
    if kind != "jpeg":  # a JPEG's thumbnail is shrunk from its 512 px draft decode instead of 256
        assert thumb == plain_thumb
    assert DECODE_BUDGET.in_use == 0


def test_facts_over_the_budget_leave_the_import_alone(local_store, tmp_path, budget, second_decodes):
    path = tf.save_png(tmp_path / "big_roughness.png", tf.hard_edge(1024, 1024))  # 4 MiB decoded
    DECODE_BUDGET.configure(7 << 20)  # the thumbnail's 6 MiB fit, the facts' 8 MiB do not
    info, thumb, facts = analysis.analyze_with_facts(path)
    assert facts is None and thumb.data and DECODE_BUDGET.in_use == 0
    coll = local_store.create_collection("qa")
    local_store.set_qa_rules(coll.id, PIXEL_RULES)
    result = local_store.import_source(coll.id, path, original_path=str(path), sha256=_sha(path))
    assert result.status == "added" and result.qa == ()  # not checked, not refused
    assert second_decodes == []


def test_pixel_rules_set_during_an_import_are_still_checked(local_store, tmp_path, monkeypatch,
                                                             second_decodes):
    """The import read "no pixel rules" first, so its workers read no facts; an admin sets a seam rule
    before its rows are written: the batch is written again with the stored bytes decoded for it."""
    from server_api.store.sql import batch_import

    folder = tmp_path / "in"
    folder.mkdir()
    files = [tf.save_png(folder / f"ramp{i}_roughness.png", tf.hard_edge(128, 128 + i)) for i in range(3)]
    coll = local_store.create_collection("qa")
    real_prepare = batch_import._prepare

    def rules_change_meanwhile(store, path, current, **kw):
        assert kw == {}  # no pixel rules when the import began
        if path.endswith("ramp0_roughness.png"):
            store.set_qa_rules(coll.id, PIXEL_RULES)
        return real_prepare(store, path, current, **kw)

    monkeypatch.setattr(batch_import, "_prepare", rules_change_meanwhile)
    monkeypatch.setattr(batch_import, "BATCH_WAIT", 30.0)  # one batch, written after every file
    results = import_paths(local_store, coll.id, files)
    assert [r.status for r in results] == ["added"] * 3
    assert [[f.rule for f in r.qa] for r in results] == [["seam"]] * 3
    assert sorted(second_decodes) == sorted(str(f) for f in files)
