"""Who may do what: each use case tried at every level (nobody, read, write, admin, owner, server admin)."""

from __future__ import annotations

import io
import itertools

import pytest
from corpus import write_image

from server_api.core.errors import VaultError

ROLES = ("stranger", "reader", "writer", "admin", "owner", "server_admin")
_seeds = itertools.count(100)


def _image_bytes(tmp_path) -> bytes:
    seed = next(_seeds)
    return write_image(tmp_path / f"img{seed}.png", seed=seed).read_bytes()


def _new_texture(team, tmp_path):
    data = _image_bytes(tmp_path)
    return team.owner.add_texture(team.collection_id, io.BytesIO(data), original_path=f"/art/{len(data)}_"
                                  f"{next(_seeds)}.png")


def _trashed_texture(team, tmp_path):
    texture = _new_texture(team, tmp_path)
    team.owner.delete_texture(texture.id)
    return texture


def _new_shared_collection(team):
    made = team.owner.create_collection(f"Doomed {next(_seeds)}")
    for username, level in (("adam", "admin"), ("wanda", "write"), ("rita", "read")):
        team.owner.set_grant(made.id, username, level)
    return made.id


# action: (lowest role allowed, prepare(team, tmp_path) -> ctx, act(store, team, ctx, tmp_path))
ACTIONS = {
    "get_collection": ("reader", None, lambda s, t, c, p: s.get_collection(t.collection_id)),
    "list_textures": ("reader", None, lambda s, t, c, p: s.list_textures(t.collection_id)),
    "count_textures": ("reader", None, lambda s, t, c, p: s.count_textures(t.collection_id)),
    "get_texture": ("reader", _new_texture, lambda s, t, c, p: s.get_texture(c.id)),
    "find_texture": ("reader", _new_texture,
                     lambda s, t, c, p: s.find_texture(t.collection_id, original_path=c.original_path)),
    "list_versions": ("reader", _new_texture, lambda s, t, c, p: s.list_versions(c.id)),
    "open_version": ("reader", _new_texture, lambda s, t, c, p: s.open_version(c.current.id).close()),
    "version_thumbnail": ("reader", _new_texture, lambda s, t, c, p: s.version_thumbnail(c.current.id)),
    "list_grants": ("reader", None, lambda s, t, c, p: s.list_grants(t.collection_id)),
    "list_events": ("reader", None, lambda s, t, c, p: s.list_events(t.collection_id)),
    "add_texture": ("writer", None, lambda s, t, c, p: s.add_texture(
        t.collection_id, io.BytesIO(_image_bytes(p)), original_path=f"/new/{next(_seeds)}.png")),
    "add_version": ("writer", _new_texture,
                    lambda s, t, c, p: s.add_version(c.id, io.BytesIO(_image_bytes(p)))),
    "set_current_version": ("writer", _new_texture,
                            lambda s, t, c, p: s.set_current_version(c.id, c.current.id)),
    "record_publish": ("writer", _new_texture,
                       lambda s, t, c, p: s.record_publish(c.id, c.current.id, c.original_path)),
    "delete_texture": ("writer", _new_texture, lambda s, t, c, p: s.delete_texture(c.id)),
    "list_trash": ("reader", None, lambda s, t, c, p: s.list_trash(t.collection_id)),
    "restore_texture": ("writer", _trashed_texture, lambda s, t, c, p: s.restore_texture(c.id)),
    "empty_trash": ("writer", None, lambda s, t, c, p: s.empty_trash(t.collection_id)),
    "update_collection": ("admin", None,
                          lambda s, t, c, p: s.update_collection(t.collection_id, description="new words")),
    "set_grant": ("admin", None, lambda s, t, c, p: s.set_grant(t.collection_id, "rita", "read")),
    "revoke_grant": ("admin", lambda t, p: t.owner.set_grant(t.collection_id, "zed", "read"),
                     lambda s, t, c, p: s.revoke_grant(t.collection_id, "zed")),
    "delete_collection": ("owner", lambda t, p: _new_shared_collection(t),
                          lambda s, t, c, p: s.delete_collection(c)),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_level_is_allowed_or_refused(face, team, tmp_path, action):
    lowest, prepare, act = ACTIONS[action]
    face.user("zed")
    for role in ROLES:
        store = getattr(team, role)
        ctx = prepare(team, tmp_path) if prepare else None
        allowed = ROLES.index(role) >= ROLES.index(lowest)
        if allowed:
            act(store, team, ctx, tmp_path)
            continue
        with pytest.raises(VaultError) as err:
            act(store, team, ctx, tmp_path)
        expected = "not_found" if role == "stranger" else "permission_denied"
        assert err.value.code == expected, f"{role} {action}: {err.value!r}"


def test_the_owner_can_be_neither_revoked_nor_downgraded(team):
    for store in (team.admin, team.owner, team.server_admin):
        with pytest.raises(VaultError) as err:
            store.set_grant(team.collection_id, "olivia", "read")
        assert err.value.code == "conflict"
        with pytest.raises(VaultError) as err:
            store.revoke_grant(team.collection_id, "olivia")
        assert err.value.code == "conflict"
    assert team.owner.get_collection(team.collection_id).my_level == "owner"


def test_levels_reported_to_each_person(team):
    levels = {role: getattr(team, role).get_collection(team.collection_id).my_level
              for role in ("reader", "writer", "admin", "owner")}
    assert levels == {"reader": "read", "writer": "write", "admin": "admin", "owner": "owner"}


def test_lists_never_show_what_details_refuse(team, tmp_path):
    texture = _new_texture(team, tmp_path)
    assert team.collection_id not in {c.id for c in team.stranger.list_collections()}
    assert team.collection_id in {c.id for c in team.reader.list_collections()}
    assert team.collection_id in {c.id for c in team.server_admin.list_collections()}
    team.owner.revoke_grant(team.collection_id, "rita")
    assert team.collection_id not in {c.id for c in team.reader.list_collections()}
    for call in (lambda: team.reader.get_collection(team.collection_id),
                 lambda: team.reader.get_texture(texture.id),
                 lambda: team.reader.list_textures(team.collection_id),
                 lambda: team.reader.find_texture(team.collection_id, sha256=texture.current.sha256)):
        with pytest.raises(VaultError) as err:
            call()
        assert err.value.code == "not_found"


def test_a_granted_admin_may_grant_admin_and_change_levels(team):
    team.admin.set_grant(team.collection_id, "wanda", "admin")
    team.admin.set_grant(team.collection_id, "rita", "write")
    grants = {g.username: g.level for g in team.reader.list_grants(team.collection_id)}
    assert grants == {"olivia": "owner", "adam": "admin", "wanda": "admin", "rita": "write"}


def test_bad_levels_and_unknown_users_are_refused(team):
    for level in ("owner", "superuser", ""):
        with pytest.raises(VaultError) as err:
            team.owner.set_grant(team.collection_id, "rita", level)
        assert err.value.code == "invalid_argument"
    with pytest.raises(VaultError) as err:
        team.owner.set_grant(team.collection_id, "nobody-here", "read")
    assert err.value.code == "not_found"
