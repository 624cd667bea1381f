"""QA rules per collection and findings per version (issue 13), on every face: set by the collection's
admins, seen by its readers, checked at import (single files, batches, new versions) and again for
every current version when the rules or a colour space change; bad rules change nothing. The colour
space falls back to the map role when the file says nothing."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import texture_files as tf

from server_api.core.errors import VaultError
from server_api.store.entities import TextureQuery
from server_api.store.qa_rules import QaRule, parse_setting
from server_api.workflows.importing import import_paths


def _rules(*settings: str) -> list[QaRule]:
    return [parse_setting(s)[1] for s in settings]


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    opaque = np.full((200, 300), 1.0, np.float32)
    return {
        "good": tf.save_png(folder / "stone_basecolor.png", tf.seamless(256, 256)),
        "odd": tf.save_png(folder / "odd_albedo.png", tf.seamless(300, 200), alpha=opaque),
        "seam": tf.save_png(folder / "ramp_roughness.png", tf.hard_edge(256, 256)),
        "normal": tf.save_png(folder / "brick_normal.png", tf.normal_map(256, 256)),
        "fake_normal": tf.save_png(folder / "fake_normal.png", tf.seamless(256, 256, seed=9)),
    }


def _kinds(version) -> list[tuple[str, str]]:
    return [(f.rule, f.level) for f in version.qa]


def test_no_rules_no_findings_and_the_role_decides_an_unsaid_colour_space(team, files):
    results = import_paths(team.writer, team.collection_id, list(files.values()))
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in results}
    assert all(r.status == "added" and r.qa == () for r in results)
    spaces = {n: team.reader.get_texture(r.texture_id).current.colour_space for n, r in by_name.items()}
    # PNGs that name no colour space: base colour is colour (sRGB), roughness and normal are data
    assert spaces == {"stone_basecolor.png": "srgb", "odd_albedo.png": "srgb", "ramp_roughness.png": "linear",
                      "brick_normal.png": "linear", "fake_normal.png": "linear"}
    assert team.reader.get_qa_rules(team.collection_id).rules == ()
    assert team.reader.list_qa_findings(team.collection_id) == []


def test_rules_recheck_current_versions_and_readers_see_the_findings(team, files):
    results = {r.path.rsplit("/", 1)[-1]: r.texture_id
               for r in import_paths(team.writer, team.collection_id, list(files.values()))}
    set_ = team.admin.set_qa_rules(team.collection_id, _rules(
        "power_of_two=error", "square", "unused_alpha", "normal_map=error", "seam=2:warning"))
    assert [r.key for r in set_.rules] == ["normal_map", "power_of_two", "seam", "square", "unused_alpha"]
    assert team.reader.get_qa_rules(team.collection_id) == set_
    current = {n: team.reader.get_texture(t).current for n, t in results.items()}
    assert _kinds(current["stone_basecolor.png"]) == []
    assert _kinds(current["odd_albedo.png"]) == [("power_of_two", "error"), ("square", "warning"),
                                                 ("unused_alpha", "warning")]
    assert _kinds(current["ramp_roughness.png"]) == [("seam", "warning")]
    assert _kinds(current["brick_normal.png"]) == []  # a real normal map passes
    assert _kinds(current["fake_normal.png"]) == [("normal_map", "error")]
    odd = current["odd_albedo.png"]
    assert (odd.qa_errors, odd.qa_warnings) == (1, 2)
    assert odd.qa[0].message == "not power of two (300x200)"
    report = team.reader.list_qa_findings(team.collection_id)
    assert [r.texture_name for r in report] == ["fake_normal.png", "odd_albedo.png", "ramp_roughness.png"]
    assert report[1].findings == odd.qa
    # the listing carries the counts (grid badges need no second query)
    listed = {t.name: t.current for t in team.reader.list_textures(team.collection_id).items}
    assert (listed["odd_albedo.png"].qa_errors, listed["odd_albedo.png"].qa_warnings) == (1, 2)
    # removing every rule clears every finding
    team.owner.set_qa_rules(team.collection_id, [])
    assert team.reader.list_qa_findings(team.collection_id) == []
    assert team.reader.get_texture(results["odd_albedo.png"]).current.qa == ()


def test_findings_at_import_single_file_batch_and_new_version(team, files, tmp_path):
    team.owner.set_qa_rules(team.collection_id, _rules("power_of_two=error", "max_side=256:warning"))
    odd = files["odd"]
    one = team.writer.import_source(team.collection_id, odd, original_path=str(odd), sha256=_sha(odd))
    assert [(f.rule, f.level, f.message) for f in one.qa] == [
        ("power_of_two", "error", "not power of two (300x200)"),
        ("max_side", "warning", "larger than 256 px (300x200)")]
    batch = import_paths(team.writer, team.collection_id, [files["good"], files["seam"]])
    assert [r.qa for r in batch] == [(), ()]
    tf.save_png(files["good"], tf.seamless(512, 256))  # the same path, new bytes: version 2
    (again,) = import_paths(team.writer, team.collection_id, [files["good"]])
    assert again.status == "new_version"
    assert [f.rule for f in again.qa] == ["power_of_two", "max_side"] or [f.rule for f in again.qa] == [
        "max_side"]
    versions = team.reader.list_versions(again.texture_id)
    assert [v.qa for v in versions][1] == ()  # version 1 keeps its own (none)
    assert [f.rule for f in versions[0].qa] == ["max_side"]  # 512x256: powers of two, too long


def test_colour_space_rules_follow_the_stored_space_and_its_override(team, files):
    good = team.writer.add_texture(team.collection_id, files["normal"], original_path="maps/brick_normal.png")
    team.admin.set_qa_rules(team.collection_id, _rules("colour_space=warning", "bit_depth.normal=16:error"))
    version = team.reader.get_texture(good.id).current
    assert _kinds(version) == [("bit_depth.normal", "error")]
    assert version.qa[0].message == "8-bit normal map (wanted 16-bit)"
    srgb = team.writer.set_colour_space(version.id, "srgb")
    assert srgb.qa[-1].message == "sRGB profile on a normal map"
    assert (srgb.qa_errors, srgb.qa_warnings) == (1, 1)
    assert team.writer.set_colour_space(version.id, "linear").qa_warnings == 0


def test_only_admins_set_rules_and_bad_rules_change_nothing(team, files):
    team.admin.set_qa_rules(team.collection_id, _rules("square"))
    for who in (team.writer, team.reader):
        with pytest.raises(VaultError) as denied:
            who.set_qa_rules(team.collection_id, _rules("power_of_two"))
        assert denied.value.code == "permission_denied"
    with pytest.raises(VaultError) as hidden:
        team.stranger.get_qa_rules(team.collection_id)
    assert hidden.value.code == "not_found"
    with pytest.raises(VaultError) as hidden:
        team.stranger.list_qa_findings(team.collection_id)
    assert hidden.value.code == "not_found"
    bad_rules = [QaRule("squared", "warning"), QaRule("square", "fatal"), QaRule("max_side", "error", "-3"),
                 QaRule("max_side", "error", ""), QaRule("bit_depth", "error", "16"),
                 QaRule("bit_depth.wood", "error", "16"), QaRule("bit_depth.height", "error", "12"),
                 QaRule("seam", "warning", "nan"), QaRule("colour_space.normal", "warning", "rec709"),
                 QaRule("square", "warning", "7")]
    for bad in bad_rules:
        with pytest.raises(VaultError) as refused:
            team.owner.set_qa_rules(team.collection_id, [QaRule("power_of_two", "error"), bad])
        assert refused.value.code == "invalid_argument", bad
    with pytest.raises(VaultError) as twice:
        team.owner.set_qa_rules(team.collection_id, [QaRule("square", "error"), QaRule("square", "warning")])
    assert twice.value.code == "invalid_argument" and "twice" in twice.value.message
    assert [r.key for r in team.reader.get_qa_rules(team.collection_id).rules] == ["square"]
    details = [e.detail for e in team.owner.list_events(team.collection_id).items
               if e.action == "qa_rules_changed"]
    assert details == ["set QA rules: square=warning"]


def test_the_qa_query_field_filters_by_findings(team, files):
    import_paths(team.writer, team.collection_id, [files["good"], files["odd"], files["seam"]])
    team.admin.set_qa_rules(team.collection_id, _rules("power_of_two=error", "seam=2:warning"))

    def names(text: str) -> list[str]:
        page = team.reader.list_textures(team.collection_id, TextureQuery(text=text))
        assert team.reader.count_textures(team.collection_id, TextureQuery(text=text)) == len(page.items)
        return sorted(t.name for t in page.items)

    assert names("qa:errors") == ["odd_albedo.png"]
    assert names("qa:warnings") == ["ramp_roughness.png"]
    assert names("qa:none") == ["stone_basecolor.png"]
    assert names("qa:errors,warnings") == ["odd_albedo.png", "ramp_roughness.png"]
    assert names("-qa:none stone OR ramp") == ["ramp_roughness.png"]
    with pytest.raises(VaultError) as bad:
        names("qa:maybe")
    assert bad.value.code == "invalid_argument" and "qa" in bad.value.message
