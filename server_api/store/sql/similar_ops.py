"""Similar images and near-duplicates (SQL face). The hash search itself is similar_sql's."""

from __future__ import annotations

from sqlalchemy import select, true

from server_api.core.errors import VaultError
from server_api.store.similar_api import (
    COLOUR_DISTANCE,
    DUPLICATE_DISTANCE,
    MAX_DISTANCE,
    REINDEX_BATCH,
    ColourMatch,
    DuplicateGroup,
    ReindexBatch,
    Similar,
    check_colour,
    check_distance,
    check_limit,
    check_reindex,
)
from server_api.store.sql import fingerprint_rows, similar_sql
from server_api.store.sql.access import C, collection_access, texture_access
from server_api.store.sql.convert import T, V, texture_select, to_texture
from server_api.store.sql.fingerprint_rows import H
from server_api.store.sql.tag_ops import CHUNK, readable


class SimilarMixin:
    def reindex_fingerprints(self, *, after: str | None = None, limit: int = REINDEX_BATCH) -> ReindexBatch:
        me = self._me()
        start = check_reindex(after, limit)
        if not me.is_admin:
            raise VaultError("permission_denied", "only a server admin may reindex the vault")
        todo = None
        if after is None:
            with self._read() as s:
                todo = fingerprint_rows.stale_count(s)
        done, skipped, next_sha = fingerprint_rows.reindex_batch(self, start, limit)
        return ReindexBatch(done, skipped, next_sha, todo)

    def similar(self, texture_id: int, *, limit: int = 20) -> list[Similar]:
        me = self._me()
        check_limit(limit)
        with self._read() as s:
            texture_access(s, me, texture_id)
            found = similar_sql.reference(s, texture_id, true())
            if found is None:
                return []
            order = similar_sql.ranked(s, found[0], similar_sql.near_hashes(s, found[1], MAX_DISTANCE))
            return [Similar(texture, collection, bits, round(colour, 2))
                    for texture, collection, (bits, colour) in _in_order(s, me, order, limit, but=texture_id)]

    def colour_search(self, colour: str, *, limit: int = 50,
                      distance: float = COLOUR_DISTANCE) -> list[ColourMatch]:
        me = self._me()
        check_limit(limit)
        lab = check_colour(colour, distance)
        with self._read() as s:
            order = similar_sql.colour_ranked(s, lab, distance)
            return [ColourMatch(texture, collection, round(delta_e, 2), round(share, 4))
                    for texture, collection, (delta_e, share) in _in_order(s, me, order, limit)]

    def duplicates(self, collection_id: int, *, distance: int = DUPLICATE_DISTANCE) -> list[DuplicateGroup]:
        me = self._me()
        check_distance(distance)
        with self._read() as s:
            collection_access(s, me, collection_id)
            hashed = s.execute(
                select(T.c.id, H.c.phash).select_from(T.join(V, V.c.id == T.c.current_version_id)
                                                      .join(H, H.c.sha256 == V.c.blob_sha256))
                .where(T.c.collection_id == collection_id, T.c.deleted_at.is_(None), H.c.phash.is_not(None))
            ).all()
            groups = _groups([(r.id, r.phash) for r in hashed], distance)
            textures = {}
            wanted = sorted(i for members, _ in groups for i in members)
            for start in range(0, len(wanted), CHUNK):
                rows = s.execute(texture_select().where(T.c.id.in_(wanted[start:start + CHUNK]))).all()
                textures.update((r.id, to_texture(r)) for r in rows)
        out = [DuplicateGroup(tuple(sorted((textures[i] for i in members), key=_by_name)), far)
               for members, far in groups]
        return sorted(out, key=lambda g: (-len(g.textures), g.textures[0].name.lower(), g.textures[0].id))


def _in_order(s, me, order: list[tuple[str, tuple]], limit: int, but: int | None = None):
    """(texture, collection name, what ``order`` says of its bytes) for the readable live textures
    holding the bytes in ``order`` (best first), at most ``limit``: read a page of bytes at a time,
    stopping once the answer is full."""
    stmt = texture_select().add_columns(C.c.name.label("collection_name")).join(
        C, C.c.id == T.c.collection_id).where(T.c.deleted_at.is_(None), T.c.collection_id.in_(readable(me)))
    if but is not None:
        stmt = stmt.where(T.c.id != but)
    hits = []
    for start in range(0, len(order), limit):
        part = {sha: (n, said) for n, (sha, said) in enumerate(order[start:start + limit])}
        rows = s.execute(stmt.where(similar_sql.textures_with(list(part)))).all()
        rows.sort(key=lambda r: (part[r.v_blob_sha256][0], r.name.lower(), r.id))
        hits += [(to_texture(r), r.collection_name, part[r.v_blob_sha256][1]) for r in rows]
        if len(hits) >= limit:
            break
    return hits[:limit]


def _by_name(texture) -> tuple[str, int]:
    return texture.name.lower(), texture.id


def _groups(items: list[tuple[int, int]], radius: int) -> list[tuple[list[int], int]]:
    """Connected groups of (id, hash) within ``radius`` bits of one another (multi-index hashing
    in memory: a dict per band), each with the largest distance that joined it."""
    from server_api.imaging.fingerprint import bands, distance, near_bands, to_unsigned

    hashes = [to_unsigned(h) for _, h in items]
    index: list[dict[int, list[int]]] = [{}, {}, {}, {}]
    for n, h in enumerate(hashes):
        for band, table in zip(bands(h), index, strict=True):
            table.setdefault(band, []).append(n)
    parent = list(range(len(items)))
    joined_at = [0] * len(items)

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for n, h in enumerate(hashes):
        for band, table in zip(bands(h), index, strict=True):
            for value in near_bands(band, radius // 4):
                for m in table.get(value, ()):
                    if m > n and (d := distance(h, hashes[m])) <= radius:
                        a, b = root(n), root(m)
                        if a != b:
                            parent[b] = a
                        joined_at[a] = max(joined_at[a], joined_at[b], d)
    members: dict[int, list[int]] = {}
    for n in range(len(items)):
        members.setdefault(root(n), []).append(items[n][0])
    return [(ids, joined_at[r]) for r, ids in members.items() if len(ids) > 1]
