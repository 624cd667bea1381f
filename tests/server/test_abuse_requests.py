"""Small lies an ordinary client can send the HTTP API, over real HTTP (issue 10, LOW items):
numbers for booleans, methods a route does not have, and ids past what the database holds."""

from __future__ import annotations

import pytest
import requests
from live_server import LiveServer


@pytest.fixture(params=["sqlite", "postgres"])
def server(request, tmp_path):
    url = None
    if request.param == "postgres":
        from postgres import fresh_database_url

        url = fresh_database_url(migrated=True)
    with LiveServer(tmp_path / "server", database_url=url) as live:
        live.token = live.add_user("root", admin=True)
        live.add_user("rita")
        yield live


def call(server, method, path, **kwargs):
    return requests.request(method, server.url + path, timeout=30,
                            headers={"Authorization": f"Bearer {server.token}"}, **kwargs)


@pytest.mark.parametrize("value", [0, 1, "true", "yes", None])
def test_booleans_are_json_booleans(server, value):
    answer = call(server, "PUT", "/api/v1/users/rita/active", json={"active": value})
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_argument", answer.text
    made = call(server, "POST", "/api/v1/users", json={"username": "x", "is_admin": value})
    assert made.status_code == 400, made.text
    assert call(server, "PUT", "/api/v1/users/rita/active", json={"active": True}).status_code == 200


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("PUT", "/api/v1/collections", {"GET", "POST"}),
    ("POST", "/api/v1/textures/1", {"GET", "DELETE"}),
    ("DELETE", "/api/v1/versions/1/file", {"GET"}),
])
def test_a_405_lists_the_allowed_methods(server, method, path, allowed):
    answer = call(server, method, path)
    assert answer.status_code == 405
    assert set(answer.headers["Allow"].replace(" ", "").split(",")) >= allowed
    assert answer.json()["code"] == "invalid_argument"


@pytest.mark.parametrize("path", ["/api/v1/textures/3000000000", "/api/v1/versions/99999999999/file",
                                  "/api/v1/collections/-3000000000/textures"])
def test_an_id_past_the_database_columns_is_not_found_not_a_500(server, path):
    answer = call(server, "GET", path)  # PostgreSQL's INTEGER ids: it answered 500 "out of range"
    assert answer.status_code == 404 and answer.json()["code"] == "not_found", answer.text
