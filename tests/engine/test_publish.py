"""Publish on a local vault: the current version lands at the original path, atomically, losing nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.workflows.publish_roots import PublishRoots
from server_api.workflows.publishing import publish


@pytest.fixture
def painted(local_store, tmp_path):
    """A texture with two versions whose original path is a real file in an artist's folder."""
    folder = tmp_path / "project" / "textures"
    path = write_image(folder / "wall.png", seed=1)
    PublishRoots.load(local_store.uri).approve(tmp_path / "project")  # this user's choice
    collection = local_store.create_collection("Project")
    texture = local_store.add_texture(collection.id, str(path), original_path=str(path))
    v1_bytes = path.read_bytes()
    write_image(path, seed=2)
    v2 = local_store.add_version(texture.id, str(path))
    return local_store, texture, path, v1_bytes, v2


def test_publishing_an_older_version_puts_its_bytes_back(painted):
    store, texture, path, v1_bytes, _v2 = painted
    store.set_current_version(texture.id, texture.current.id)
    result = publish(store, texture.id)
    assert path.read_bytes() == v1_bytes
    assert result.kept_version is None  # v2's bytes were already in the vault: nothing to keep
    assert (result.path, result.version.number) == (str(path), 1)
    assert result.version.published_at is not None
    assert store.get_texture(texture.id).published_version_id == texture.current.id
    event = store.list_events(texture.collection_id).items[0]
    assert (event.action, event.version_id, event.actor) == ("publish", texture.current.id,
                                                            store.current_user().username)
    assert os.listdir(path.parent) == ["wall.png"]  # no temp file left behind


def test_bytes_found_at_the_path_are_kept_as_a_version_first(painted):
    store, texture, path, _v1, v2 = painted
    write_image(path, seed=3)  # the artist painted over the file outside the vault
    painted_over = path.read_bytes()
    result = publish(store, texture.id)
    assert result.kept_version is not None and result.kept_version.number == 3
    assert result.kept_version.note == f"kept on publish: bytes found at {path}"
    assert path.read_bytes() != painted_over
    with store.open_version(result.kept_version.id) as kept:
        assert kept.read() == painted_over
    after = store.get_texture(texture.id)
    assert (after.current.id, after.version_count) == (v2.id, 3)  # the kept bytes are not made current


def test_publish_recreates_a_deleted_file(painted):
    store, texture, path, _v1, v2 = painted
    path.unlink()
    publish(store, texture.id)
    with store.open_version(v2.id) as current:
        assert path.read_bytes() == current.read()


def test_a_missing_folder_is_a_clear_error_and_nothing_is_recorded(painted):
    store, texture, path, _v1, _v2 = painted
    shutil.rmtree(path.parent)
    with pytest.raises(VaultError) as err:
        publish(store, texture.id)
    assert err.value.code == "invalid_argument"
    assert str(path.parent) in err.value.message and "does not exist" in err.value.message
    assert store.get_texture(texture.id).published_version_id is None
    assert not path.parent.exists()


def test_a_read_only_folder_is_a_clear_error_and_the_file_is_untouched(painted):
    store, texture, path, v1_bytes, _v2 = painted
    store.set_current_version(texture.id, texture.current.id)  # publish would change the file
    before = path.read_bytes()
    with _read_only(path.parent):
        with pytest.raises(VaultError) as err:
            publish(store, texture.id)
        assert err.value.code == "invalid_argument" and str(path) in err.value.message
        assert os.listdir(path.parent) == ["wall.png"]
    assert path.read_bytes() == before != v1_bytes
    assert store.get_texture(texture.id).published_version_id is None


@contextmanager
def _read_only(folder):
    """Really read-only, also for root (the test machines run as root): chattr +i, else chmod."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode:
            pytest.skip("running as root without chattr: cannot make a folder read-only")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
