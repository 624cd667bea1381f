"""Signing in over real HTTP: tokens, logout, disabled accounts, expiry, and failed-login throttling."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from live_server import PASSWORD, LiveServer
from sqlalchemy import select, update

from server_api.store import passwords
from server_api.store.accounts import WRONG_LOGIN
from server_api.store.sql import auth, throttle
from server_api.store.sql.convert import now, utc
from server_api.store.sql.models import ApiTokenRow, LoginThrottleRow

API = "/api/v1"


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path / "server") as live:
        live.admin_token = live.add_user("root", admin=True)
        live.add_user("bob")
        yield live


def login(server, username, password):
    return requests.post(f"{server.url}{API}/auth/login", json={"username": username, "password": password},
                         timeout=10)


def change_password(server, token, new, current):
    return requests.put(f"{server.url}{API}/users/bob/password", headers={"Authorization": f"Bearer {token}"},
                        json={"password": new, "current_password": current}, timeout=10)


def me(server, token):
    return requests.get(f"{server.url}{API}/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_a_right_password_gives_a_token_that_signs_requests_in(server):
    answer = login(server, "bob", PASSWORD)
    assert answer.status_code == 200
    body = answer.json()
    assert body["user"]["username"] == "bob" and body["token_type"] == "bearer"
    assert len(body["token"]) >= 43  # 256 random bits, base64url
    assert me(server, body["token"]).json()["username"] == "bob"


def test_unknown_user_and_wrong_password_get_the_same_answer_and_the_same_work(server, monkeypatch):
    hashes_checked = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: hashes_checked.append(h) or real_verify(h, p))
    wrong = login(server, "bob", "not the password")
    unknown = login(server, "nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"code": "unauthenticated", "message": WRONG_LOGIN}
    assert len(hashes_checked) == 2  # one argon2 verification each: no timing difference to measure


def test_only_a_hash_of_the_token_is_stored(server):
    token = login(server, "bob", PASSWORD).json()["token"]
    with server.root.engine.connect() as conn:
        stored = conn.execute(select(ApiTokenRow.token_hash)).scalars().all()
    assert auth.hash_token(token) in stored
    assert token not in stored and all(token not in value for value in stored)


def test_logout_revokes_only_that_token(server):
    first = login(server, "bob", PASSWORD).json()["token"]
    second = login(server, "bob", PASSWORD).json()["token"]
    out = requests.post(f"{server.url}{API}/auth/logout", headers={"Authorization": f"Bearer {first}"},
                        timeout=10)
    assert out.status_code == 204
    assert me(server, first).status_code == 401
    assert me(server, second).status_code == 200


def test_disabling_a_user_ends_its_tokens_and_its_logins(server):
    token = login(server, "bob", PASSWORD).json()["token"]
    admin = server.store(server.admin_token)
    admin.set_user_active("bob", False)
    assert me(server, token).status_code == 401
    assert login(server, "bob", PASSWORD).status_code == 401
    admin.set_user_active("bob", True)
    assert me(server, token).status_code == 401  # ended, not paused
    assert login(server, "bob", PASSWORD).status_code == 200


def test_an_expired_token_is_refused_with_a_reason(server):
    token = login(server, "bob", PASSWORD).json()["token"]
    with server.root.session() as s:
        s.execute(update(ApiTokenRow).where(ApiTokenRow.token_hash == auth.hash_token(token))
                  .values(expires_at=now() - timedelta(seconds=1)))
    answer = me(server, token)
    assert answer.status_code == 401 and "expired" in answer.json()["message"]


@pytest.mark.parametrize("username", ["bob", "nobody-at-all"])
def test_five_failures_lock_the_account_even_against_the_right_password(server, username):
    for _ in range(throttle.MAX_FAILURES):
        assert login(server, username, "guess").status_code == 401
    locked = login(server, username, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "throttled" and "try again in" in locked.json()["message"]
    assert 25 <= int(locked.headers["Retry-After"]) <= 31
    assert login(server, username.upper(), PASSWORD).status_code == 429  # one count per name, any case


def test_each_failure_after_a_lock_doubles_the_wait_and_success_resets_it(server):
    for _ in range(throttle.MAX_FAILURES):
        login(server, "bob", "guess")
    _unlock_now(server)
    assert login(server, "bob", "guess").status_code == 401  # the sixth failure: locked again, longer
    failures, locked_until = _lock_state(server)
    assert failures == throttle.MAX_FAILURES + 1
    assert timedelta(seconds=55) < locked_until - now() <= throttle.FIRST_LOCK * 2
    _unlock_now(server)
    assert login(server, "bob", PASSWORD).status_code == 200
    assert _lock_state(server) is None  # a right password clears the count


def test_lock_intervals_grow_and_stop_at_an_hour():
    assert throttle.lock_interval(throttle.MAX_FAILURES - 1) is None
    waits = [throttle.lock_interval(n) for n in range(throttle.MAX_FAILURES, throttle.MAX_FAILURES + 12)]
    assert waits[0] == throttle.FIRST_LOCK and waits[1] == 2 * throttle.FIRST_LOCK
    assert waits == sorted(waits) and waits[-1] == throttle.LONGEST_LOCK


def test_a_count_left_alone_for_a_day_is_forgotten(server):
    for _ in range(throttle.MAX_FAILURES - 1):
        login(server, "bob", "guess")
    with server.root.session() as s:
        s.execute(update(LoginThrottleRow).values(last_attempt_at=now() - throttle.FORGET_AFTER))
    assert login(server, "bob", "guess").status_code == 401
    assert _lock_state(server) == (1, None)  # a fresh count, not the fifth failure


def _unlock_now(server):
    with server.root.session() as s:
        s.execute(update(LoginThrottleRow).where(LoginThrottleRow.name_key == "bob")
                  .values(locked_until=now()))


def _lock_state(server):
    with server.root.engine.connect() as conn:
        row = conn.execute(select(LoginThrottleRow.failures, LoginThrottleRow.locked_until)
                           .where(LoginThrottleRow.name_key == "bob")).first()
    return None if row is None else (row.failures, utc(row.locked_until))


def test_changing_my_password_ends_my_other_sign_ins_and_keeps_this_one(server):
    here = login(server, "bob", PASSWORD).json()["token"]
    elsewhere = login(server, "bob", PASSWORD).json()["token"]
    change = change_password(server, here, "a new and longer secret", PASSWORD)
    assert change.status_code == 204
    assert me(server, here).status_code == 200 and me(server, elsewhere).status_code == 401
    assert login(server, "bob", PASSWORD).status_code == 401
    assert login(server, "bob", "a new and longer secret").status_code == 200


def test_a_stolen_token_cannot_guess_the_current_password_past_the_lockout(server):
    token = login(server, "bob", PASSWORD).json()["token"]
    answers = [change_password(server, token, "taken over by me", f"guess {i}")
               for i in range(throttle.MAX_FAILURES + 1)]
    assert [a.status_code for a in answers] == [403] * throttle.MAX_FAILURES + [429]


def test_an_admin_reset_ends_every_token_of_that_user(server):
    token = login(server, "bob", PASSWORD).json()["token"]
    server.store(server.admin_token).set_password("bob", "reset by the admin")
    assert me(server, token).status_code == 401
    assert me(server, server.admin_token).status_code == 200
