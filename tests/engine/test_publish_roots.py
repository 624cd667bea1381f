"""Publish roots: a publish writes only where this user approved, translated between OSes by roots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.workflows.publish_roots import PublishNotApproved, PublishRoots, this_system
from server_api.workflows.publishing import publish


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "proj" / "castle"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def add(local_store, tmp_path):
    """A texture whose original path is whatever the uploader said."""
    collection = local_store.create_collection("Castle")
    source = write_image(tmp_path / "upload" / "stone.png", seed=4)

    def made(original_path: str):
        return local_store.add_texture(collection.id, str(source), original_path=original_path)

    return made


def test_nothing_is_approved_at_first_and_the_error_names_the_folder(local_store, add, project):
    texture = add(str(project / "stone.png"))
    with pytest.raises(PublishNotApproved) as err:
        publish(local_store, texture.id)
    assert err.value.code == "permission_denied" and err.value.folder == project
    assert "--allow-path" in err.value.message and str(project / "stone.png") in err.value.message
    assert not (project / "stone.png").exists()
    assert local_store.get_texture(texture.id).published_version_id is None


def test_an_approved_folder_and_everything_below_it_can_be_published_to(local_store, add, project):
    PublishRoots.load(local_store.uri).approve(project.parent)
    (project / "walls").mkdir()
    texture = add(str(project / "walls" / "stone.png"))
    result = publish(local_store, texture.id)
    assert result.path == str(project / "walls" / "stone.png") and (project / "walls" / "stone.png").exists()
    assert PublishRoots.load(local_store.uri).approved == [str(project.parent)]  # kept for next time
    assert PublishRoots.load(local_store.uri + "-another-vault").approved == []  # per vault


@pytest.mark.parametrize("relative", [
    ".ssh/authorized_keys",  # a hidden folder, and not an image name
    ".ssh/keys.png",  # a hidden folder
    ".hidden.png",  # a hidden file
    "notes.txt",  # not an image file name
    "bin/tool",  # not an image file name
    "castle/../../../../etc/cron.d/x.png",  # through '..'
])
def test_what_a_collaborator_names_cannot_leave_the_rules(local_store, add, tmp_path, relative):
    PublishRoots.load(local_store.uri).approve(tmp_path)  # even with everything around approved
    (tmp_path / ".ssh").mkdir(exist_ok=True)
    (tmp_path / "bin").mkdir(exist_ok=True)
    texture = add(str(tmp_path / relative))
    with pytest.raises(VaultError) as err:
        publish(local_store, texture.id)
    assert err.value.code == "invalid_argument"
    assert {p.name for p in (tmp_path / ".ssh").iterdir()} == set()


def test_relative_and_dot_dot_paths_are_refused(local_store, add):
    PublishRoots.load(local_store.uri).approve(os.getcwd())
    for original in ("../../../stone.png", "stone.png", "..\\..\\stone.png"):
        with pytest.raises(VaultError) as err:
            publish(local_store, add(original).id)
        assert err.value.code == "invalid_argument"


def test_a_symlink_out_of_the_approved_folder_is_followed_and_refused(local_store, add, project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "link").symlink_to(outside)
    PublishRoots.load(local_store.uri).approve(project)
    with pytest.raises(PublishNotApproved) as err:
        publish(local_store, add(str(project / "link" / "stone.png")).id)
    assert err.value.target == outside / "stone.png"
    assert not (outside / "stone.png").exists()


def test_approving_checks_the_folder(local_store, tmp_path):
    roots = PublishRoots.load(local_store.uri)
    (tmp_path / ".config").mkdir()
    for bad, why in ((tmp_path / "missing", "no such folder"), (tmp_path / ".config", "hidden"),
                     (f"{tmp_path}/a/../b", "'..'")):
        with pytest.raises(VaultError) as err:
            roots.approve(bad)
        assert why in err.value.message
    assert roots.approved == []


def test_roots_translate_a_path_uploaded_on_another_os(local_store, add, tmp_path):
    here = tmp_path / "mnt" / "proj"
    (here / "castle").mkdir(parents=True)
    roots = PublishRoots.load(local_store.uri)
    others = {"windows": "P:\\proj", "linux": "/mnt/proj", "macos": "/Volumes/proj"}
    roots.set_root("proj", {**others, this_system(): str(here)})
    roots.approve(here)
    texture = add("p:\\PROJ\\castle\\stone.png")  # Windows paths ignore case
    result = publish(local_store, texture.id)
    assert result.path == str(here / "castle" / "stone.png") and (here / "castle" / "stone.png").exists()
    assert roots.local_path("/Volumes/proj/a/b.png") == here / "a" / "b.png"
    assert roots.local_path("/Volumes/projects/b.png") == Path("/Volumes/projects/b.png")
    with pytest.raises(VaultError):
        roots.set_root("half", {"linux": "/mnt/x"})  # one system translates nothing
    with pytest.raises(VaultError):
        roots.set_root("bad", {"linux": "relative/x", "windows": "P:\\x"})
    assert PublishRoots.load(local_store.uri).roots["proj"][this_system()] == str(here)
