"""``vault import-archive``: a collection archive (workflows/archive_format.py) into any vault.

Through the VaultStore interface, so a local vault and a server restore the same way, with the
caller's rights. Idempotent: a texture is matched by its original path; versions the target
already has (same number, same bytes) are left alone, missing ones are added with an upload key
made from the archive's id, so a restore run twice (or retried after a failure) adds nothing the
second time. Before anything is written every member is checked (names, kinds, the manifest) and
every blob that will be used is hashed against its name: a damaged archive changes nothing.

Kept as they were: version numbers, bytes and notes, the current and published version, colour
spaces, tags, grants to users that exist here, materials with their maps and roles.
Made by the restore (the interface writes as the caller, now): who added each version and when
(the archive's manifest keeps both), material version history (the material starts at v1 with its
maps as they were), the activity (kept in the archive).
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from dataclasses import dataclass, field

from server_api.core.errors import VaultError
from server_api.store.base import VaultStore
from server_api.store.entities import Texture
from server_api.store.material_entities import MapSpec
from server_api.workflows.archive_format import FORMAT, MANIFEST, MAX_MANIFEST_BYTES, VERSION, sha_of_member

CHUNK = 1024 * 1024


@dataclass
class RestoreReport:
    collection: str = ""
    textures_added: int = 0
    versions_added: int = 0
    textures_unchanged: int = 0
    materials_made: int = 0
    problems: list[str] = field(default_factory=list)  # what could not be restored, and why


class BadArchive(VaultError):
    def __init__(self, message: str):
        super().__init__("invalid_argument", f"not a usable collection archive: {message}")


def import_archive(store: VaultStore, archive: str, into: str | None = None) -> RestoreReport:
    try:
        tar = tarfile.open(archive, "r:")
    except (OSError, tarfile.TarError) as exc:
        raise BadArchive(f"{archive}: {exc}") from None
    with tar:
        blobs, manifest = _read_members(tar)
        plan = _Plan(store, manifest, into)
        needed = plan.needed_blobs()
        for sha in sorted(needed):
            _verify(tar, blobs, sha)
        return plan.apply(lambda sha: tar.extractfile(blobs[sha]))


def _read_members(tar: tarfile.TarFile) -> tuple[dict[str, tarfile.TarInfo], dict]:
    blobs: dict[str, tarfile.TarInfo] = {}
    manifest_member = None
    for member in tar:
        if member.name == MANIFEST and member.isfile() and manifest_member is None:
            manifest_member = member
            continue
        sha = sha_of_member(member.name)
        if sha is None or not member.isfile() or sha in blobs:
            raise BadArchive(f"unexpected member {member.name[:200]!r} (only {MANIFEST} and blobs/<sha256>)")
        blobs[sha] = member
    if manifest_member is None:
        raise BadArchive(f"no {MANIFEST}")
    if manifest_member.size > MAX_MANIFEST_BYTES:
        raise BadArchive(f"{MANIFEST} is {manifest_member.size:,} bytes (at most {MAX_MANIFEST_BYTES:,})")
    try:
        manifest = json.loads(tar.extractfile(manifest_member).read())
    except ValueError as exc:
        raise BadArchive(f"{MANIFEST} is not JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadArchive(f"{MANIFEST} does not say format {FORMAT!r}")
    if manifest.get("version") != VERSION:
        raise BadArchive(f"archive version {manifest.get('version')!r}; this vault reads version {VERSION}")
    return blobs, manifest


def _verify(tar: tarfile.TarFile, blobs: dict[str, tarfile.TarInfo], sha: str) -> None:
    if sha not in blobs:
        raise BadArchive(f"the bytes of {sha[:12]}… are missing")
    digest = hashlib.sha256()
    stream = tar.extractfile(blobs[sha])
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    if digest.hexdigest() != sha:
        raise BadArchive(f"blobs/{sha[:12]}… is damaged (its bytes hash to {digest.hexdigest()[:12]}…)")


def _field(item: dict, name: str, kind, where: str):
    value = item.get(name) if isinstance(item, dict) else None
    if not isinstance(value, kind):
        raise BadArchive(f"{where}: {name!r} is missing or not {getattr(kind, '__name__', kind)}")
    return value


class _Plan:
    """What the archive holds against what the target has; ``apply`` writes the difference."""

    def __init__(self, store: VaultStore, manifest: dict, into: str | None):
        self.store = store
        self.archive_id = _field(manifest, "archive_id", str, MANIFEST)[:40]
        collection = _field(manifest, "collection", dict, MANIFEST)
        self.name = into or _field(collection, "name", str, "collection")
        self.description = collection.get("description", "") if isinstance(collection, dict) else ""
        self.textures = _field(manifest, "textures", list, MANIFEST)
        self.grants = manifest.get("grants") or []
        self.materials = manifest.get("materials") or []
        for i, texture in enumerate(self.textures):
            where = f"texture {i}"
            _field(texture, "original_path", str, where)
            versions = _field(texture, "versions", list, where)
            numbers = [_field(v, "number", int, where) for v in versions]
            # increasing from 1 up, gaps allowed: versions in the version trash (retention) are not
            # exported, so a history may read 1, 8, 9, 10; the target numbers what it adds 1..N
            if any(n < 1 for n in numbers) or numbers != sorted(set(numbers)):
                raise BadArchive(f"{where}: version numbers must increase from 1 up")
            for v in versions:
                if sha_of_member("blobs/" + _field(v, "sha256", str, where)) is None:
                    raise BadArchive(f"{where}: a version's sha256 is not 64 hex digits")
        self.collection_id = self._existing_collection()
        self.existing = self._existing_textures()

    def _existing_collection(self) -> int | None:
        try:
            return self.store.find_collection(self.name).id
        except VaultError as exc:
            if exc.code != "not_found":
                raise
            return None

    def _existing_textures(self) -> dict[str, Texture]:
        self.trashed: set[int] = set()
        if self.collection_id is None:
            return {}
        found: dict[str, Texture] = {t.original_path: t for t in self.store.list_trash(self.collection_id)}
        self.trashed = {t.id for t in found.values()}
        cursor = None
        while True:
            page = self.store.list_textures(self.collection_id, limit=500, cursor=cursor)
            found.update((t.original_path, t) for t in page.items)
            cursor = page.next
            if cursor is None:
                return found

    def _have(self, texture: dict) -> list[str]:
        """The sha256 of the target's versions of this texture, by number (empty: none yet)."""
        there = self.existing.get(texture["original_path"])
        if there is None:
            return []
        return [v.sha256 for v in sorted(self.store.list_versions(there.id), key=lambda v: v.number)]

    def needed_blobs(self) -> set[str]:
        self.have = {t["original_path"]: self._have(t) for t in self.textures}
        needed = set()
        for texture in self.textures:
            have = self.have[texture["original_path"]]
            needed.update(v["sha256"] for v in texture["versions"][len(have):])
        return needed

    def apply(self, blob) -> RestoreReport:
        report = RestoreReport(collection=self.name)
        if self.collection_id is None:
            self.collection_id = self.store.create_collection(self.name, description=self.description).id
        ids: dict[int, int] = {}  # the archive's texture key -> the texture here
        for texture in self.textures:
            restored = self._texture(texture, blob, report)
            if restored is not None:
                ids[texture.get("key")] = restored
        for grant in self.grants:
            try:
                self.store.set_grant(self.collection_id, str(grant.get("username")), str(grant.get("level")))
            except VaultError as exc:
                report.problems.append(f"grant to {grant.get('username')!r} not restored: {exc.message}")
        self._materials(ids, report)
        return report

    def _texture(self, texture: dict, blob, report: RestoreReport) -> int | None:
        path, versions = texture["original_path"], texture["versions"]
        have = self.have[path]
        if have != [v["sha256"] for v in versions[: len(have)]]:
            report.problems.append(f"{path}: left as it is, its history here differs from the archive's")
            return None
        there = self.existing.get(path)
        if len(have) == len(versions):
            report.textures_unchanged += 1
        key = f"archive-{self.archive_id}-{texture.get('key')}"
        for v in versions[len(have):]:
            source = blob(v["sha256"])
            if there is None:
                there = self.store.add_texture(self.collection_id, source, original_path=path,
                                               name=texture.get("name") or None, note=v.get("note", ""),
                                               upload_key=f"{key}-1")
                report.textures_added += 1
            else:
                self.store.add_version(there.id, source, note=v.get("note", ""), make_current=False,
                                       upload_key=f"{key}-{v['number']}")
            report.versions_added += 1
        self._facts(there.id, texture, versions)
        return there.id

    def _facts(self, texture_id: int, texture: dict, versions: list[dict]) -> None:
        """Current, published, colour spaces and tags, as the archive says; a texture the target has
        in its trash comes back (the archive says it is alive)."""
        store = self.store
        mine_in_order = sorted(store.list_versions(texture_id), key=lambda v: v.number)
        # the archive's numbers -> the versions here, by position (histories match by position)
        here = {v["number"]: mine for v, mine in zip(versions, mine_in_order, strict=False)}
        current = texture.get("current")
        if isinstance(current, int) and current in here and not here[current].is_current:
            store.set_current_version(texture_id, here[current].id)
        published = texture.get("published")
        if isinstance(published, int) and published in here and here[published].published_at is None:
            store.record_publish(texture_id, here[published].id, texture["original_path"])
        for v in versions:
            mine = here.get(v["number"])
            if mine is not None and v.get("colour_space") not in (None, mine.colour_space):
                store.set_colour_space(mine.id, v["colour_space"])
        tags = [t for t in texture.get("tags") or [] if isinstance(t, str)]
        if tags:
            store.tag_textures([texture_id], add=tags)
        if texture_id in self.trashed:
            store.restore_texture(texture_id)

    def _materials(self, ids: dict[int, int], report: RestoreReport) -> None:
        have = set()
        cursor = None
        while True:
            page = self.store.list_materials(self.collection_id, limit=500, cursor=cursor)
            have.update(m.name for m in page.items)
            cursor = page.next
            if cursor is None:
                break
        for material in self.materials:
            name = material.get("name")
            if not isinstance(name, str) or name in have:
                continue
            maps = [MapSpec(ids[m["texture"]], m["role"], m.get("normal_convention"))
                    for m in material.get("maps") or [] if m.get("texture") in ids]
            if not maps:
                continue
            try:
                made = self.store.create_material(self.collection_id, name, maps)
                tags = [t for t in material.get("tags") or [] if isinstance(t, str)]
                if tags:
                    self.store.tag_materials([made.id], add=tags)
                report.materials_made += 1
            except VaultError as exc:
                report.problems.append(f"material {name!r} not restored: {exc.message}")
