"""The review CLI: `vault comment` (with --region), `comment-edit`, `comment-delete`, `comments`
(per texture or --version, --json), `vault review`, `vault review-required`, `vault notifications`;
a malformed region is a usage error (exit 2), a region outside the image the store's (exit 1)."""

from __future__ import annotations

import json

import pytest
from cli_runner import cli_runner
from corpus import write_image


@pytest.fixture
def vault(capsys, tmp_path):
    run = cli_runner(capsys, tmp_path / "vault")
    run("init")
    run("collection", "create", "Props")
    run("import", "--collection", "Props", write_image(tmp_path / "brick.png", seed=1))
    return run


def test_comment_on_a_region_list_edit_and_delete(vault):
    made = json.loads(vault("comment", 1, "fix the seam", "--region", "0.1,0.2,0.3,0.25", "--json").out)
    assert made["region"] == {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.25} and made["text"] == "fix the seam"
    vault("comment", 1, "whole image")
    listed = json.loads(vault("comments", 1, "--json").out)
    assert [c["text"] for c in listed] == ["fix the seam", "whole image"]
    assert [c["text"] for c in json.loads(vault("comments", "--version", 1, "--json").out)] == [
        "fix the seam", "whole image"]
    assert "[0.10,0.20 0.30x0.25]: fix the seam" in vault("comments", 1).out
    assert "(edited): seam fixed?" in vault("comment-edit", made["id"], "seam fixed?").out
    vault("comment-delete", made["id"])
    assert [c["text"] for c in json.loads(vault("comments", 1, "--json").out)] == ["whole image"]


def test_bad_regions_and_text_are_refused_and_nothing_is_stored(vault):
    assert "four fractions" in vault("comment", 1, "x", "--region", "0.1,0.2", rc=2).err
    assert "inside the image" in vault("comment", 1, "x", "--region", "0.9,0,0.5,0.5", rc=1).err
    assert "needs some text" in vault("comment", 1, "   ", rc=1).err
    assert "not found" in vault("comment", 99, "x", rc=1).err
    assert vault("comments", 1).out.strip() == "no comments"


def test_review_status_required_and_the_query(vault, tmp_path):
    assert "approved (set by" in vault("review", 1, "approved").out
    assert "brick.png" in vault("ls", "--collection", "Props", "--query", "review:approved").out
    vault("review", 1, "lgtm", rc=2)
    assert "review required" in vault("review-required", "Props", "on").out
    vault("import", "--collection", "Props", write_image(tmp_path / "tile.png", seed=2))
    needs = json.loads(vault("ls", "--collection", "Props", "--query", "review:needs", "--json").out)
    assert [t["name"] for t in needs] == ["tile.png"]
    assert "0 unread" in vault("notifications").out  # the local vault's one user: nobody else acts
    assert json.loads(vault("notifications", "--json").out)["unread"] == 0
