"""A collection with a retention policy round-trips through `vault export` / `import-archive` on every
face: versions in the version trash are not exported, so a history may have gaps (1, 4, 5); the
restore takes what is visible (renumbered 1..N there), keeps current and published, and a second
restore adds nothing."""

from __future__ import annotations

from corpus import write_image

from server_api.workflows.archive_export import export_collection
from server_api.workflows.archive_import import import_archive


def test_a_trimmed_history_exports_and_restores(face, tmp_path):
    olivia = face.user("olivia")
    props = olivia.create_collection("Props")
    texture = olivia.add_texture(props.id, str(write_image(tmp_path / "w1.png", seed=1)),
                                 original_path="/art/wall.png")
    made = [texture.current]
    for n in range(2, 6):
        made.append(olivia.add_version(texture.id, str(write_image(tmp_path / f"w{n}.png", seed=n))))
    olivia.record_publish(texture.id, made[0].id, "/art/wall.png")  # v1 published: kept
    olivia.set_retention(props.id, 2)
    assert [v.number for v in olivia.list_versions(texture.id)] == [5, 4, 1]

    archive = tmp_path / "props.tar"
    assert export_collection(olivia, "Props", str(archive)).versions == 3
    report = import_archive(olivia, str(archive), into="Mirror")
    assert report.problems == [] and report.versions_added == 3
    mirror = olivia.find_collection("Mirror")
    [copy] = olivia.list_textures(mirror.id).items
    versions = sorted(olivia.list_versions(copy.id), key=lambda v: v.number)
    assert [v.sha256 for v in versions] == [made[0].sha256, made[3].sha256, made[4].sha256]
    assert copy.current.sha256 == made[4].sha256 and versions[0].published_at is not None

    again = import_archive(olivia, str(archive), into="Mirror")
    assert again.versions_added == 0 and again.problems == []
