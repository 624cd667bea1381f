"""`vault retention` (show, preview, set, --keep-all), `vault trash --versions [empty]`,
`vault restore-version`, and `vault-server storage` on a server's data folder (a preview: it applies
nothing)."""

from __future__ import annotations

import json

import pytest
from cli_runner import cli_runner
from corpus import write_image

from server_api.cli.server import main as server_main
from server_api.core.settings import settings
from server_api.store.sql.opening import open_server_store
from server_api.store.sql.store import SqlVaultStore


def _fill(store, tmp_path, name="Props", versions=4, seed=0):
    collection = store.create_collection(name)
    texture = store.add_texture(collection.id, str(write_image(tmp_path / f"{name}.png", seed=seed + 1)),
                                original_path=f"/art/{name}.png")
    made = [texture.current]
    for n in range(2, versions + 1):
        image = write_image(tmp_path / f"{name}{n}.png", seed=seed + n)
        made.append(store.add_version(texture.id, str(image)))
    return collection, texture, made


def test_retention_show_preview_set_and_the_version_trash(tmp_path, capsys):
    folder = tmp_path / "vault"
    store = SqlVaultStore.open_local(folder)
    _, texture, made = _fill(store, tmp_path)
    store.close()
    run = cli_runner(capsys, folder)

    assert run("retention", "--collection", "Props").out.strip() == "Props: keeps every version"
    preview = run("retention", "--collection", "Props", "--keep-last", "2", "--preview").out
    assert "would move 2 versions of 1 texture" in preview and "nothing changed" in preview
    assert json.loads(run("retention", "--collection", "Props", "--json").out)["keep_last"] is None

    applied = json.loads(run("retention", "--collection", "Props", "--keep-last", "2", "--json").out)
    assert applied["versions"] == 2 and applied["applied"] is True and applied["keep_last"] == 2
    assert "keeps the last 2 versions" in run("retention", "--collection", "Props").out
    assert [v["number"] for v in json.loads(run("versions", texture.id, "--json").out)] == [4, 3]

    trash = json.loads(run("trash", "--versions", "--json").out)
    assert sorted(v["number"] for v in trash) == [1, 2] and trash[0]["collection"] == "Props"
    assert "trashed" in run("trash", "--versions").out
    assert "restored v1" in run("restore-version", made[0].id).out
    assert [v["number"] for v in json.loads(run("versions", texture.id, "--json").out)] == [4, 3, 1]
    assert "1 version deleted for good" in run("trash", "empty", "--versions").out
    assert run("trash", "--versions").out.strip() == "the version trash is empty"

    assert "keep every version" in run("retention", "--collection", "Props", "--keep-all").out
    err = run("retention", "--collection", "Props", "--keep-last", "0", rc=1).err
    assert "keep-last must be a whole number" in err
    assert "--preview needs --keep-last" in run("retention", "--collection", "Props", "--preview", rc=1).err


@pytest.fixture
def server_data(tmp_path, monkeypatch):
    monkeypatch.delenv("VAULT_DATABASE_URL", raising=False)
    monkeypatch.delenv("VAULT_CONTENT_URL", raising=False)
    settings.cache_clear()
    data = tmp_path / "data"
    root = open_server_store(settings(), data)
    root.create_admin("root", None)
    store = root.for_user("root")
    _fill(store, tmp_path, "Props", 4)
    _fill(store, tmp_path, "Small", 1, seed=50)
    props = store.find_collection("Props")
    store.set_retention(props.id, 3)
    yield data, store
    root.close()
    settings.cache_clear()


def test_vault_server_storage_previews_without_applying(server_data, capsys):
    data, store = server_data
    props = store.find_collection("Props")
    before = store.list_version_trash(props.id)
    assert server_main(["storage", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines()[1:-1]}
    assert "keep 3" in lines["Props"] and "keep all" in lines["Small"]
    assert "nothing was changed" in out

    assert server_main(["storage", "--data", str(data), "--keep-last", "1", "--json"]) == 0
    rows = {r["collection_name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["Props"]["would_trash_versions"] == 2 and rows["Props"]["would_free_bytes"] > 0
    assert rows["Props"]["version_count"] == 3 and rows["Props"]["keep_last"] == 3
    assert rows["Small"]["would_trash_versions"] == 0 and rows["Small"]["unique_bytes"] > 0
    assert rows["Props"]["unique_bytes"] == rows["Props"]["byte_size"]  # trashed versions' bytes count
    assert store.list_version_trash(props.id) == before  # a preview: nothing moved
    assert store.retention(props.id).keep_last == 3
