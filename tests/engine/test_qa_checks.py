"""Each QA rule on its own (store/qa_rules.py, pure), with pixel facts measured from real generated
pictures (imaging/pixel_facts.py), the way settings are written, and what refuses bad ones."""

from __future__ import annotations

import io

import numpy as np
import pytest
import texture_files as tf
from PIL import Image

from server_api.core.errors import VaultError
from server_api.imaging.colour import encode_for_display, stored_space
from server_api.imaging.pixel_facts import facts_of_picture, facts_of_stream
from server_api.store.qa_rules import QaRule, Subject, check, counted, parse_setting


def subject(width=512, height=512, bit_depth=8, has_alpha=False, colour_space="srgb", role=None):
    return Subject(width, height, bit_depth, has_alpha, colour_space, role)


def found(setting: str, s: Subject, facts=None) -> list[str]:
    return [f.message for f in check([parse_setting(setting)[1]], s, lambda: facts)]


def png_facts(values, alpha=None):
    image = Image.fromarray((np.clip(values, 0, 1) * 255 + 0.5).astype(np.uint8))
    if alpha is not None:
        image.putalpha(Image.fromarray((alpha * 255).astype(np.uint8)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    return facts_of_stream(buffer, "test.png")


@pytest.mark.parametrize(("setting", "s", "message"), [
    ("power_of_two", subject(1000, 512), "not power of two (1000x512)"),
    ("square", subject(1024, 512), "not square (1024x512)"),
    ("max_side=2048", subject(4096, 1024), "larger than 2048 px (4096x1024)"),
    ("min_side=256", subject(128, 512), "smaller than 256 px (128x512)"),
    ("bit_depth.height=16,32:error", subject(role="height"), "8-bit height map (wanted 16 or 32-bit)"),
    ("colour_space", subject(role="normal", colour_space="srgb"), "sRGB profile on a normal map"),
    ("colour_space", subject(role="base_color", colour_space="linear"), "linear data on a base color map"),
    ("colour_space.emissive=linear", subject(role="emissive"), "sRGB profile on an emissive map"),
])
def test_each_metadata_rule_names_what_is_wrong(setting, s, message):
    assert found(setting, s) == [message]


@pytest.mark.parametrize(("setting", "s"), [
    ("power_of_two", subject(2048, 1)), ("square", subject(64, 64)), ("max_side=4096", subject(4096, 4096)),
    ("min_side=256", subject(256, 300)), ("bit_depth.height=16", subject(role="normal")),
    ("bit_depth.height=16", subject(bit_depth=16, role="height")),
    ("colour_space", subject(role="normal", colour_space="unknown")),  # unknown is not a wrong word
    ("colour_space", subject(role=None, colour_space="srgb")),  # no role in the name: nothing to match
])
def test_a_rule_that_holds_or_does_not_apply_finds_nothing(setting, s):
    assert found(setting, s) == []


def test_pixel_rules_on_real_pictures():
    seamless, edge, normals = tf.seamless(256, 256), tf.hard_edge(256, 256), tf.normal_map(256, 256)
    opaque, cut = np.ones((256, 256)), np.ones((256, 256))
    cut[:8, :8] = 0.5
    assert found("unused_alpha", subject(has_alpha=True), png_facts(seamless, opaque)) == [
        "unused alpha (every pixel opaque)"]
    assert found("unused_alpha", subject(has_alpha=True), png_facts(seamless, cut)) == []
    assert found("normal_map", subject(role="normal"), png_facts(normals)) == []
    assert found("normal_map", subject(role="normal"), png_facts(seamless))[0].startswith(
        "not a valid normal map (")
    assert found("normal_map", subject(role="roughness"), png_facts(seamless)) == []  # not a normal map
    assert found("seam=2", subject(), png_facts(seamless)) == []
    assert found("seam=2", subject(), png_facts(edge))[0].startswith("visible seam (x ")
    assert found("seam=2", subject(), None) == []  # no pixels (EXR, over the budget): not checked


def test_facts_of_16_bit_and_big_pictures_are_reduced_not_misread():
    grey16 = Image.fromarray((tf.seamless(1200, 600)[:, :, 0] * 65535).astype(np.uint16))
    facts = facts_of_picture(grey16)
    assert not facts.alpha_used and not facts.normal.is_normal_map and facts.seam.worst() < 2
    big = Image.fromarray((tf.normal_map(2048, 1024) * 255).astype(np.uint8))
    assert facts_of_picture(big).normal.is_normal_map
    assert facts_of_stream(io.BytesIO(b"not an image"), "junk") is None


BAD_SETTINGS = ["squared", "square=fatal", "max_side=0", "max_side=1e9", "max_side=big:error",
                "bit_depth=16", "bit_depth.wood=16", "bit_depth.height=12", "seam=0.5", "seam=nan",
                "colour_space.normal=rec709", "square=7:error", "=error", "power_of_two.height=error"]


@pytest.mark.parametrize("text", BAD_SETTINGS)
def test_bad_settings_are_refused_naming_the_rule(text):
    with pytest.raises(VaultError) as refused:
        parse_setting(text)
    assert refused.value.code == "invalid_argument"


def test_settings_read_as_written():
    assert parse_setting("square") == ("square", QaRule("square", "warning"))
    assert parse_setting("max_side=4096:error") == ("max_side", QaRule("max_side", "error", "4096"))
    assert parse_setting("bit_depth.height=32,16") == ("bit_depth.height",
                                                       QaRule("bit_depth.height", "warning", "16,32"))
    assert parse_setting("seam=2.50:error")[1].value == "2.5"
    assert parse_setting("seam=off") == ("seam", None)
    assert counted(1, 2) == "1 error and 2 warnings" and counted(0, 1) == "1 warning"


def test_colour_space_role_fallback_and_display():
    assert stored_space("unknown", "bricks_normal.png") == "linear"
    assert stored_space("unknown", "bricks_albedo.png") == "srgb"
    assert stored_space("unknown", "photo.png") == "unknown"
    assert stored_space("srgb", "bricks_normal.png") == "srgb"  # the file's own word wins
    assert not encode_for_display("linear", True, "cliff_height.exr")  # data shown as data
    assert encode_for_display("linear", True, "sky.exr")  # linear colour through the sRGB curve
    assert encode_for_display("linear", False, "poster_albedo.png")
    assert not encode_for_display("srgb", False, "poster_albedo.png")
