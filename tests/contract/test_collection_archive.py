"""`vault export` / `vault import-archive` on every face: a collection round-trips into another
collection with identical listings, bytes and version histories; a second restore adds nothing;
a damaged or crafted archive changes nothing and says what is wrong."""

from __future__ import annotations

import io
import tarfile

import pytest
from corpus import write_image

from server_api.core.errors import VaultError
from server_api.store.material_entities import MapSpec
from server_api.workflows.archive_export import export_collection
from server_api.workflows.archive_import import import_archive


@pytest.fixture
def filled(team, tmp_path):
    """Props: wall (3 versions, v2 current, v1 published, v3 linear), floor (a map of the
    material), old (in the trash); tags; grants from the team fixture."""
    owner, cid = team.owner, team.collection_id
    art = tmp_path / "art"
    wall = owner.add_texture(cid, str(write_image(art / "wall_basecolor.png", seed=1)),
                             original_path="/art/wall_basecolor.png", note="first")
    for seed, note in ((2, "warmer"), (3, "too warm")):
        owner.add_version(wall.id, str(write_image(art / f"w{seed}.png", seed=seed)), note=note)
    versions = {v.number: v for v in owner.list_versions(wall.id)}
    owner.set_current_version(wall.id, versions[2].id)
    owner.record_publish(wall.id, versions[1].id, "/art/wall_basecolor.png")
    owner.set_colour_space(versions[3].id, "linear")
    floor = owner.add_texture(cid, str(write_image(art / "wall_normal.png", seed=4)),
                              original_path="/art/wall_normal.png")
    old = owner.add_texture(cid, str(write_image(art / "old.png", seed=5)), original_path="/art/old.png")
    owner.delete_texture(old.id)
    owner.tag_textures([wall.id, floor.id], add=["brick", "hero"])
    owner.create_material(cid, "Wall", [MapSpec(wall.id, "base_color"),
                                        MapSpec(floor.id, "normal", "opengl")])
    return team


def snapshot(store, collection_id):
    """What must survive: per original path, the versions' (number, sha, note, current, published,
    colour space), the bytes of each, tags and trash; grants; materials with maps and roles."""
    textures = list(store.list_textures(collection_id, limit=500).items)
    shot = {}
    for t in textures:
        versions = sorted(store.list_versions(t.id), key=lambda v: v.number)
        shot[t.original_path] = {
            "name": t.name, "tags": sorted(store.texture_tags(t.id)),
            "versions": [(v.number, v.sha256, v.note, v.is_current, v.published_at is not None,
                          v.colour_space) for v in versions],
            "bytes": [store.open_version(v.id).read() for v in versions],
        }
    grants = sorted((g.username, g.level) for g in store.list_grants(collection_id) if g.level != "owner")
    by_id = {t.id: t.original_path for t in textures}
    materials = sorted(
        (m.name, tuple(sorted((by_id[x.texture_id], x.role, x.normal_convention) for x in m.maps)))
        for m in store.list_materials(collection_id).items)
    return shot, grants, materials


def test_round_trip_is_identical_and_a_second_restore_adds_nothing(filled, tmp_path):
    team = filled
    archive = tmp_path / "props.tar"
    report = export_collection(team.reader, "Props", str(archive))  # read level may back up
    assert (report.textures, report.versions, report.blobs) == (2, 4, 4)  # not the trash
    restored = import_archive(team.owner, str(archive), into="Props restored")
    assert (restored.textures_added, restored.versions_added, restored.materials_made) == (2, 4, 1)
    assert restored.problems == []
    copy = team.owner.find_collection("Props restored")
    assert snapshot(team.owner, copy.id) == snapshot(team.owner, team.collection_id)

    again = import_archive(team.owner, str(archive), into="Props restored")
    assert (again.textures_added, again.versions_added, again.textures_unchanged, again.materials_made) == (
        0, 0, 2, 0)
    assert snapshot(team.owner, copy.id) == snapshot(team.owner, team.collection_id)


def test_a_later_export_adds_only_the_new_versions(filled, tmp_path):
    team = filled
    export_collection(team.owner, "Props", str(tmp_path / "monday.tar"))
    import_archive(team.owner, str(tmp_path / "monday.tar"), into="Mirror")
    wall = team.owner.find_texture(team.collection_id, original_path="/art/wall_basecolor.png")
    team.owner.add_version(wall.id, str(write_image(tmp_path / "w9.png", seed=9)), note="friday")
    export_collection(team.owner, "Props", str(tmp_path / "friday.tar"))
    report = import_archive(team.owner, str(tmp_path / "friday.tar"), into="Mirror")
    assert (report.textures_added, report.versions_added) == (0, 1)
    mirror = team.owner.find_collection("Mirror")
    assert snapshot(team.owner, mirror.id)[0] == snapshot(team.owner, team.collection_id)[0]


def rewrite(archive, out, change):
    """A copy of ``archive`` with its members passed through ``change(name, data) -> [(name, data)]``."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for member in src:
            for name, data in change(member.name, src.extractfile(member).read()):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                dst.addfile(info, io.BytesIO(data))
    return str(out)


@pytest.mark.parametrize("damage, says", [
    (lambda n, d: [(n, d[:-1] + bytes([d[-1] ^ 1]) if n.startswith("blobs/") else d)], "damaged"),
    (lambda n, d: [(n, d), ("../../evil.png", b"x")] if n == "manifest.json" else [(n, d)],
     "unexpected member"),
    (lambda n, d: [(n, b"{not json")] if n == "manifest.json" else [(n, d)], "not JSON"),
    (lambda n, d: [] if n.startswith("blobs/") else [(n, d)], "missing"),
])
def test_a_damaged_or_crafted_archive_changes_nothing(filled, tmp_path, damage, says):
    team = filled
    export_collection(team.owner, "Props", str(tmp_path / "good.tar"))
    bad = rewrite(tmp_path / "good.tar", tmp_path / "bad.tar", damage)
    before = [c.name for c in team.owner.list_collections()]
    with pytest.raises(VaultError) as raised:
        import_archive(team.owner, bad, into="Never")
    assert raised.value.code == "invalid_argument" and says in raised.value.message
    assert [c.name for c in team.owner.list_collections()] == before
    assert not (tmp_path / "evil.png").exists() and not (tmp_path.parent / "evil.png").exists()


def test_a_stranger_cannot_export_and_restoring_into_a_read_only_collection_fails(filled, tmp_path):
    team = filled
    with pytest.raises(VaultError) as raised:
        export_collection(team.stranger, "Props", str(tmp_path / "x.tar"))
    assert raised.value.code == "not_found" and not (tmp_path / "x.tar").exists()
    export_collection(team.owner, "Props", str(tmp_path / "p.tar"))
    team.owner.create_collection("Empty")
    team.owner.set_grant(team.owner.find_collection("Empty").id, "rita", "read")
    with pytest.raises(VaultError) as raised:
        import_archive(team.reader, str(tmp_path / "p.tar"), into="Empty")
    assert raised.value.code in ("not_found", "permission_denied")
