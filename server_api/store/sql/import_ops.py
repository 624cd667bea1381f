"""One file into a collection, decided and written in one call: what the server's import route and
the per-file import path run (the batched import applies the same decision to many files at once).
The caller states the bytes' sha256 up front, so "unchanged" is known before a byte is read."""

from __future__ import annotations

from server_api.content.hashes import check_sha256
from server_api.content.source import Progress, Source
from server_api.core.errors import VaultError
from server_api.store.entities import ImportResult
from server_api.store.import_decision import STATUS_OF_ACTION, Decision
from server_api.store.sql import import_lookup
from server_api.store.sql.access import collection_access
from server_api.store.sql.rows import (
    check_original_path,
    load_version,
    scoped_upload_key,
    version_by_upload_key,
)

DECIDE_ATTEMPTS = 3  # another writer took the path between deciding and writing: decide again


class ImportMixin:
    def import_source(
        self, collection_id: int, source: Source, *, original_path: str, sha256: str,
        name: str | None = None, progress: Progress | None = None, upload_key: str | None = None,
        defer_material_version: bool = False,
    ) -> ImportResult:
        me = self._me()
        check_original_path(original_path)
        check_sha256(sha256)
        for attempt in range(DECIDE_ATTEMPTS):
            with self._read() as s:
                # Read access decides; a reader re-importing what is there hears "unchanged", and
                # add_texture/add_version check write access before reading a byte.
                collection_access(s, me, collection_id, "read")
                decided = import_lookup.decisions(s, me, collection_id, [(original_path, sha256)])
                decision = decided[original_path]
                earlier = earlier_import(s, me, upload_key, collection_id, decision)
            if earlier:  # a retry of an import that landed: answer as the first attempt did
                return self._import_result(original_path, earlier[0], earlier[1])
            try:
                return self._apply(collection_id, source, original_path, name, decision, progress, upload_key,
                                   defer_material_version)
            except VaultError as exc:
                if exc.code != "conflict" or attempt + 1 == DECIDE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _apply(self, collection_id, source, original_path, name, decision: Decision, progress,
               upload_key, defer_material_version) -> ImportResult:
        if decision.action == "unchanged":
            return unchanged_result(original_path, decision)
        if decision.action == "version":
            version = self._add_version(decision.texture.texture_id, source, "", True, progress, upload_key,
                                        material_version=not defer_material_version)
            texture_id = decision.texture.texture_id
        else:
            texture = self.add_texture(collection_id, source, original_path=original_path, name=name,
                                       progress=progress, upload_key=upload_key)
            version, texture_id = texture.current, texture.id
        return ImportResult(path=original_path, status=STATUS_OF_ACTION[decision.action],
                            texture_id=texture_id, version=version.number, format=version.format,
                            width=version.width, height=version.height, note=decision.note, qa=version.qa)

    def _import_result(self, original_path: str, texture_id: int, version_id: int) -> ImportResult:
        with self._read() as s:
            version = load_version(s, version_id)
        status = "added" if version.number == 1 else "new_version"
        return ImportResult(path=original_path, status=status, texture_id=texture_id, version=version.number,
                            format=version.format, width=version.width, height=version.height, qa=version.qa)


def unchanged_result(original_path: str, decision: Decision) -> ImportResult:
    known = decision.texture
    return ImportResult(path=original_path, status="unchanged", texture_id=known.texture_id,
                        version=known.number, format=known.format, width=known.width,
                        height=known.height, note=decision.note)


def earlier_import(s, me, upload_key: str | None, collection_id: int, decision: Decision
                   ) -> tuple[int, int] | None:
    """What an earlier attempt with this idempotency key made: a texture in the collection, or a
    version of the texture at the path (keys are scoped to their target, as add_texture/add_version do)."""
    if upload_key is None:
        return None
    targets = [f"collection {collection_id}"]
    if decision.texture is not None:
        targets.append(f"texture {decision.texture.texture_id}")
    for target in targets:
        earlier = version_by_upload_key(s, scoped_upload_key(upload_key, me, target))
        if earlier:
            return earlier
    return None
