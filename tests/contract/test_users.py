"""Accounts: who am I, the people list for share dialogs, and what only a server admin may change."""

from __future__ import annotations

import pytest

from server_api.core.errors import VaultError


def test_current_user_and_the_people_list(face):
    olivia = face.user("olivia")
    face.admin.create_user("bob.smith", "a long password", display_name="Bob Smith")
    me = olivia.current_user()
    assert (me.username, me.is_admin, me.is_active) == ("olivia", False, True)
    assert face.admin.current_user().is_admin
    assert [u.username for u in olivia.list_users("smith")] == ["bob.smith"]
    assert [u.username for u in olivia.list_users("Bob S")] == ["bob.smith"]
    assert {"olivia", "bob.smith"} <= {u.username for u in olivia.list_users()}


def test_only_a_server_admin_creates_or_disables_accounts(face):
    olivia = face.user("olivia")
    for call in (lambda: olivia.create_user("eve", "a long password"),
                 lambda: olivia.set_user_active("olivia", False)):
        with pytest.raises(VaultError) as err:
            call()
        assert err.value.code == "permission_denied"
    assert "eve" not in {u.username for u in face.admin.list_users()}


def test_disabled_people_leave_the_people_list_and_cannot_be_granted(face):
    olivia = face.user("olivia")
    face.user("bob")
    collection = olivia.create_collection("Private")
    assert not face.admin.set_user_active("bob", False).is_active
    assert "bob" not in {u.username for u in olivia.list_users()}
    with pytest.raises(VaultError) as err:
        olivia.set_grant(collection.id, "bob", "read")
    assert err.value.code == "invalid_argument" and "bob" in err.value.message
    assert face.admin.set_user_active("bob", True).is_active


def test_only_a_server_admin_lists_disabled_accounts(face):
    olivia = face.user("olivia")
    face.user("bob")
    face.admin.set_user_active("bob", False)
    assert "bob" not in {u.username for u in face.admin.list_users()}
    listed = {u.username: u.is_active for u in face.admin.list_users(include_inactive=True)}
    assert listed["bob"] is False and listed["olivia"] is True
    assert [u.username for u in face.admin.list_users("bo", include_inactive=True)] == ["bob"]
    with pytest.raises(VaultError) as err:
        olivia.list_users(include_inactive=True)
    assert err.value.code == "permission_denied"


def test_account_rules(face):
    with pytest.raises(VaultError) as err:
        face.admin.create_user("olivia", "short")
    assert err.value.code == "invalid_argument" and "password" in err.value.message
    for bad in ("", "../etc", "has space", "x" * 65):
        with pytest.raises(VaultError) as err:
            face.admin.create_user(bad, "a long password")
        assert err.value.code == "invalid_argument"
    face.user("olivia")
    with pytest.raises(VaultError) as err:
        face.admin.create_user("olivia", "a long password")
    assert err.value.code == "conflict"
    with pytest.raises(VaultError) as err:
        face.admin.set_user_active(face.admin.current_user().username, False)
    assert err.value.code == "invalid_argument"


def test_passwords_change_for_oneself_or_by_an_admin(face):
    olivia, face_bob = face.user("olivia"), face.user("bob")
    olivia.set_password("olivia", "a brand new password")
    face.admin.set_password("bob", "another new password")
    with pytest.raises(VaultError) as err:
        face_bob.set_password("olivia", "hijacked password")
    assert err.value.code == "permission_denied"
    with pytest.raises(VaultError) as err:
        olivia.set_password("olivia", "short")
    assert err.value.code == "invalid_argument"
