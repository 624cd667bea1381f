"""A whole vault over S3 (SqlVaultStore with its bytes in a real SeaweedFS): import, download, previews made
later from the bucket's bytes, fsck finding and repairing what is missing, gc freeing what no version uses,
and the server's settings opening that store from VAULT_CONTENT_URL."""

from __future__ import annotations

import pytest
from corpus import write_image
from seaweedfs import TEST_CREDENTIALS, fresh_content_url

from server_api.content.store import THUMBNAIL
from server_api.core.errors import VaultError
from server_api.core.settings import Settings
from server_api.store.sql.opening import open_server_store
from server_api.store.sql.store import SqlVaultStore


def s3_config(tmp_path, url: str) -> Settings:
    return Settings(server_data_dir=tmp_path / "data", content_url=url,
                    aws_access_key_id=TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                    aws_secret_access_key=TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])


@pytest.fixture
def vault(tmp_path):
    root = open_server_store(s3_config(tmp_path, fresh_content_url()))
    root.create_admin("lead", None)
    yield root.for_user("lead")
    root.close()


def test_the_server_settings_put_the_bytes_in_the_bucket(vault, tmp_path):
    assert vault.content.url.startswith("s3://") and "S3ContentStore" in repr(vault.content)
    collection = vault.create_collection("Rocks")
    source = write_image(tmp_path / "rock.png", size=(600, 300), seed=3)
    texture = vault.add_texture(collection.id, str(source), original_path="/art/rock.png")
    sha = texture.current.sha256
    assert list(vault.content.iter_hashes()) == [sha]
    assert not (tmp_path / "data" / "blobs").exists() or not any((tmp_path / "data" / "blobs").iterdir())
    with vault.open_version(texture.current.id) as stream:
        assert stream.read() == source.read_bytes()
        assert (stream.sha256, stream.size) == (sha, source.stat().st_size)  # from the row
    assert vault.content.has_derived(sha, THUMBNAIL)
    preview = vault.version_thumbnail(texture.current.id, 512)  # made now, from the bucket's bytes
    assert preview and vault.content.get_derived(sha, THUMBNAIL, "512")[0] == preview
    assert list((tmp_path / "data" / "staging" / "tmp").iterdir()) == []  # no temp copy left


def test_fsck_finds_and_repairs_over_s3(vault, tmp_path):
    collection = vault.create_collection("Rocks")
    texture = vault.add_texture(collection.id, str(write_image(tmp_path / "a.png", seed=1)),
                                original_path="/art/a.png")
    sha = texture.current.sha256
    assert vault.fsck().ok
    vault.content.delete_derived(sha)
    assert not vault.fsck().ok
    repaired = vault.fsck(repair=True)
    assert repaired.ok and repaired.repaired_thumbnails == 1 and vault.content.has_derived(sha, THUMBNAIL)
    vault.content.delete(sha)  # the bytes lost in the bucket: fsck says so, naming them
    report = vault.fsck()
    assert not report.ok and any(sha in problem and "missing" in problem for problem in report.problems)


def test_gc_frees_bytes_no_version_uses(vault, tmp_path):
    collection = vault.create_collection("Sweep")
    kept = vault.add_texture(collection.id, str(write_image(tmp_path / "k.png", seed=1)),
                             original_path="/k.png")
    dropped = vault.add_texture(collection.id, str(write_image(tmp_path / "d.png", seed=2)),
                                original_path="/d.png")
    vault.delete_texture(dropped.id)
    assert vault.empty_trash(collection.id) == 1
    report = vault.gc(temp_grace_seconds=0, blob_grace_seconds=0)
    assert report.removed_blobs == 1
    assert list(vault.content.iter_hashes()) == [kept.current.sha256]
    assert list(vault.content.iter_derived_hashes()) == [kept.current.sha256]
    assert vault.fsck().ok


def test_a_local_vault_keeps_its_folder(tmp_path):
    store = SqlVaultStore.open_local(tmp_path / "v")
    try:
        assert store.content.url == (tmp_path / "v").resolve().as_uri()
    finally:
        store.close()


def test_a_bad_content_url_stops_the_server_naming_the_variable(tmp_path):
    config = s3_config(tmp_path, "s3://?endpoint=http://127.0.0.1:1")
    with pytest.raises(VaultError) as caught:
        open_server_store(config)
    assert caught.value.code == "invalid_argument" and "VAULT_CONTENT_URL" in caught.value.message
