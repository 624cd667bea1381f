"""Accounts: who am I, the people list for share dialogs, and what only a server admin may change."""

from __future__ import annotations

import pytest
from live_server import PASSWORD

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
    with pytest.raises(VaultError) as err:  # to others, a disabled account is like a missing one
        olivia.set_grant(collection.id, "bob", "read")
    with pytest.raises(VaultError) as missing:
        olivia.set_grant(collection.id, "nobody", "read")
    assert err.value.code == missing.value.code == "not_found" and "bob" in err.value.message
    with pytest.raises(VaultError) as err:  # a server admin is told why
        face.admin.set_grant(collection.id, "bob", "read")
    assert err.value.code == "invalid_argument" and "disabled" in err.value.message
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


def test_passwords_change_for_oneself_with_the_current_one_or_by_an_admin(face):
    olivia, face_bob = face.user("olivia"), face.user("bob")
    with pytest.raises(VaultError) as err:
        olivia.set_password("olivia", "a brand new password")
    assert err.value.code == "permission_denied" and "current password" in err.value.message
    with pytest.raises(VaultError) as err:
        olivia.set_password("olivia", "a brand new password", current_password="not my password")
    assert err.value.code == "permission_denied" and "current password" in err.value.message
    olivia.set_password("olivia", "a brand new password", current_password=PASSWORD)
    assert olivia.current_user().username == "olivia"  # the session that changed it goes on
    with pytest.raises(VaultError) as err:
        face_bob.set_password("olivia", "hijacked password", current_password="a brand new password")
    assert err.value.code == "permission_denied"
    face.admin.set_password("bob", "another new password")  # an admin resets without knowing it


@pytest.mark.parametrize(("password", "rule"), [
    ("short", "at least 8"), ("12345678", "common"), ("password", "common"), ("PassWord1", "common"),
    ("iloveyou", "common"), (" " * 8, "spaces"), ("\x00" * 8, "NUL"), ("long pass\x00word", "NUL"),
    ("bob.smith", "username"), ("x" * 1001, "at most 1000"),
])
def test_password_rules_name_what_was_wrong(face, password, rule):
    with pytest.raises(VaultError) as err:
        face.admin.create_user("bob.smith", password)
    assert err.value.code == "invalid_argument" and _names(err.value.message, rule)
    face.user("bob.smith")
    with pytest.raises(VaultError) as err:
        face.admin.set_password("bob.smith", password)
    assert err.value.code == "invalid_argument" and _names(err.value.message, rule)


def _names(message: str, rule: str) -> bool:
    # Over REST, NUL and blank passwords already fail the OpenAPI pattern the server publishes.
    return rule in message or (rule in ("NUL", "spaces") and message.startswith("password:")
                               and "pattern" in message)


def test_long_passphrases_and_any_characters_are_welcome(face):
    face.user("olivia")
    for password in ("correct horse battery staple " * 6, "pässwörd ☃ 密码 with spaces ", "x" * 1000):
        face.admin.set_password("olivia", password)
