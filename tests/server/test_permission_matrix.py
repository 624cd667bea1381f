"""Every REST route × every kind of caller, over real HTTP, against ONE table of who may do what.

Callers: anonymous, a signed-in stranger, read / write / admin grantees, the owner, a server admin.
Targets: a collection owned by someone else (olivia's "team" collection, where the caller holds the
role's level) and the caller's own collection. The expected status is derived from the table:
anonymous → 401; cannot read → 404 (existence never leaks); can read but too low → 403; else success.
"""

from __future__ import annotations

import itertools

import pytest
import requests
from corpus import write_image
from live_server import PASSWORD, LiveServer

API = "/api/v1"
ROLES = ("anonymous", "stranger", "reader", "writer", "admin", "owner", "server_admin")
RANK = {"stranger": 0, "reader": 1, "writer": 2, "admin": 3, "owner": 4, "server_admin": 5}
NEEDED_RANK = {"read": 1, "write": 2, "admin": 3, "owner": 4}
USERNAMES = {"stranger": "sam", "reader": "rita", "writer": "wanda", "admin": "adam", "owner": "olivia",
             "server_admin": "root"}

# THE table: route → (method, path, who may call it, status on success).
# "signed_in": anyone with a token; "server_admin": server admins only; read/write/admin/owner: level
# needed on the target collection. {c} collection, {t} texture, {v} version, {u} another user.
ROUTES: dict[str, tuple[str, str, str, int]] = {
    "me": ("GET", "/me", "signed_in", 200),
    "logout": ("POST", "/auth/logout", "signed_in", 204),
    "list_users": ("GET", "/users", "signed_in", 200),
    "create_user": ("POST", "/users", "server_admin", 201),
    "set_user_active": ("PUT", "/users/{u}/active", "server_admin", 200),
    "set_password": ("PUT", "/users/{u}/password", "server_admin", 204),
    "storage": ("GET", "/storage", "server_admin", 200),
    "list_collections": ("GET", "/collections", "signed_in", 200),
    "create_collection": ("POST", "/collections", "signed_in", 201),
    "get_collection": ("GET", "/collections/{c}", "read", 200),
    "update_collection": ("PATCH", "/collections/{c}", "admin", 200),
    "delete_collection": ("DELETE", "/collections/{c}", "owner", 204),
    "list_textures": ("GET", "/collections/{c}/textures", "read", 200),
    "count_textures": ("GET", "/collections/{c}/textures/count", "read", 200),
    "find_texture": ("GET", "/collections/{c}/textures/find", "read", 200),
    "add_texture": ("POST", "/collections/{c}/textures", "write", 201),
    "list_grants": ("GET", "/collections/{c}/grants", "read", 200),
    "set_grant": ("PUT", "/collections/{c}/grants/{u}", "admin", 200),
    "revoke_grant": ("DELETE", "/collections/{c}/grants/{u}", "admin", 204),
    "list_events": ("GET", "/collections/{c}/events", "read", 200),
    "get_texture": ("GET", "/textures/{t}", "read", 200),
    "delete_texture": ("DELETE", "/textures/{t}", "write", 204),
    "list_versions": ("GET", "/textures/{t}/versions", "read", 200),
    "add_version": ("POST", "/textures/{t}/versions", "write", 201),
    "set_current": ("PUT", "/textures/{t}/current", "write", 200),
    "record_publish": ("POST", "/textures/{t}/publications", "write", 200),
    "list_trash": ("GET", "/collections/{c}/trash", "read", 200),
    "empty_trash": ("DELETE", "/collections/{c}/trash", "write", 200),
    "restore_texture": ("POST", "/textures/{t}/restore", "write", 200),
    "download": ("GET", "/versions/{v}/file", "read", 200),
    "thumbnail": ("GET", "/versions/{v}/thumbnail", "read", 200),
    # review (issue 16): read level comments; admins set the status and whether review is required
    "list_comments": ("GET", "/versions/{v}/comments", "read", 200),
    "add_comment": ("POST", "/versions/{v}/comments", "read", 201),
    "texture_comments": ("GET", "/textures/{t}/comments", "read", 200),
    "review_state": ("GET", "/versions/{v}/review", "read", 200),
    "set_review": ("PUT", "/versions/{v}/review", "admin", 200),
    "review_statuses": ("GET", "/collections/{c}/review-statuses", "read", 200),
    "review_required": ("GET", "/collections/{c}/review-required", "read", 200),
    "set_review_required": ("PUT", "/collections/{c}/review-required", "admin", 200),
    "notifications": ("GET", "/notifications", "signed_in", 200),
    "mark_notifications_read": ("POST", "/notifications/read", "signed_in", 200),
    # the change feed (each caller sees what it may read: test_a_list_never_shows...) and webhooks
    "changes": ("GET", "/changes", "signed_in", 200),
    "latest_change": ("GET", "/changes/latest", "signed_in", 200),
    "add_webhook": ("POST", "/webhooks", "server_admin", 201),
    "list_webhooks": ("GET", "/webhooks", "server_admin", 200),
    "webhook_deliveries": ("GET", "/webhooks/{w}/deliveries", "server_admin", 200),
    "remove_webhook": ("DELETE", "/webhooks/{w}", "server_admin", 204),
}
COLLECTION_ROUTES = [name for name, (_m, path, _n, _s) in ROUTES.items() if "{c}" in path or "{t}" in path
                     or "{v}" in path]
OTHER_ROUTES = [name for name in ROUTES if name not in COLLECTION_ROUTES]


def expected_status(route: str, role: str, target: str) -> int:
    _method, _path, needed, ok = ROUTES[route]
    if role == "anonymous":
        return 401
    if needed == "signed_in":
        return ok
    if needed == "server_admin":
        return ok if role == "server_admin" else 403
    rank = RANK["owner"] if target == "own" else RANK[role]
    if rank == 0:
        return 404
    return ok if rank >= NEEDED_RANK[needed] else 403


class World:
    """The server and its people; makes the resources each call needs (fresh ones for deletions)."""

    def __init__(self, server: LiveServer, tmp_path):
        self.server, self.tmp_path = server, tmp_path
        self.seeds = itertools.count(1)
        self.http = requests.Session()  # keep-alive: hundreds of calls
        self.textures: dict[int, dict] = {}
        self.tokens = {"server_admin": server.add_user("root", admin=True)}
        for name in [*(USERNAMES[r] for r in RANK if r != "server_admin"), "zed", "victor"]:
            self.ok("server_admin", "POST", "/users", json={"username": name, "password": PASSWORD})
        for role in ("stranger", "reader", "writer", "admin", "owner"):
            self.tokens[role] = server.login(USERNAMES[role])
        self.team = self.shared_collection()
        self.own = {role: self.new_collection(role) for role in RANK}

    def call(self, role: str, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role != "anonymous" else {}
        headers.update(kwargs.pop("headers", {}))
        return self.http.request(method, self.server.url + API + path, headers=headers, timeout=30, **kwargs)

    def ok(self, role: str, method: str, path: str, **kwargs) -> dict:
        response = self.call(role, method, path, **kwargs)
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json() if response.content else {}

    def new_collection(self, owner_role: str) -> int:
        return self.ok(owner_role, "POST", "/collections", json={"name": f"c{next(self.seeds)}"})["id"]

    def shared_collection(self) -> int:
        cid = self.new_collection("owner")
        for role, level in (("admin", "admin"), ("writer", "write"), ("reader", "read")):
            self.ok("owner", "PUT", f"/collections/{cid}/grants/{USERNAMES[role]}", json={"level": level})
        return cid

    def upload_form(self, **fields) -> dict:
        seed = next(self.seeds)
        path = write_image(self.tmp_path / f"i{seed}.png", size=(16, 12), seed=seed)
        return {"files": {"file": (path.name, path.read_bytes(), "image/png")},
                "data": {"original_path": f"/art/{seed}.png", **fields}}

    def new_texture(self, owner_role: str, cid: int) -> dict:
        return self.ok(owner_role, "POST", f"/collections/{cid}/textures", **self.upload_form())

    def texture_in(self, owner_role: str, cid: int) -> dict:
        if cid not in self.textures:
            self.textures[cid] = self.new_texture(owner_role, cid)
        return self.textures[cid]

    def prepare(self, route: str, role: str, target: str) -> tuple[str, dict]:
        """The path (placeholders filled) and request arguments for one call."""
        owner = role if target == "own" else "owner"
        cid = self.own[role] if target == "own" and role in self.own else self.team
        _method, path, _needed, _ok = ROUTES[route]
        if route == "delete_collection":
            cid = self.new_collection(owner) if target == "own" else self.shared_collection()
        if route == "revoke_grant":
            self.ok(owner, "PUT", f"/collections/{cid}/grants/zed", json={"level": "read"})
        texture = None
        if route in ("delete_texture", "restore_texture"):  # a fresh texture where the call changes it
            texture = self.new_texture(owner, cid)
            if route == "restore_texture":
                self.ok(owner, "DELETE", f"/textures/{texture['id']}")
        elif "{t}" in path or "{v}" in path:
            texture = self.texture_in(owner, cid)
        webhook = None
        if "{w}" in path:  # a fresh one each call: removing it must find it there
            webhook = self.ok("server_admin", "POST", "/webhooks", json={"url": "http://127.0.0.1:9/h"})["id"]
        fill = {"c": cid, "u": "zed" if "grants" in path else "victor", "w": webhook,
                "t": texture and texture["id"], "v": texture and texture["current"]["id"]}
        bodies = {
            "create_user": lambda: {"json": {"username": f"new{next(self.seeds)}", "password": PASSWORD}},
            "set_user_active": lambda: {"json": {"active": True}},
            "set_password": lambda: {"json": {"password": PASSWORD}},
            "create_collection": lambda: {"json": {"name": f"mine{next(self.seeds)}"}},
            "update_collection": lambda: {"json": {"description": "new words"}},
            "find_texture": lambda: {"params": {"original_path": "/art/none.png"}},
            "add_texture": self.upload_form,
            "add_version": lambda: self.upload_form(note="v2"),
            "set_grant": lambda: {"json": {"level": "read"}},
            "set_current": lambda: {"json": {"version_id": fill["v"]}},
            "record_publish": lambda: {"json": {"version_id": fill["v"], "path": "/art/out.png"}},
            "add_comment": lambda: {"json": {"text": "fix the seam",
                                             "region": {"x": 0, "y": 0, "w": 0.5, "h": 0.5}}},
            "set_review": lambda: {"json": {"status": "approved"}},
            "set_review_required": lambda: {"json": {"required": True}},
            "mark_notifications_read": lambda: {"json": {"up_to_cursor": 1}},
            "add_webhook": lambda: {"json": {"url": "https://ci.example.com/vault", "kinds": ["published"]}},
        }
        kwargs = bodies[route]() if route in bodies else {}
        if route == "logout" and role != "anonymous":  # spend a token of its own, keep the main one
            kwargs["headers"] = {"Authorization": f"Bearer {self.server.login(USERNAMES[role])}"}
        return path.format(**fill), kwargs


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("matrix")
    with LiveServer(tmp / "server") as server:
        yield World(server, tmp)


def test_every_route_answers_every_caller_as_the_table_says(world):
    mismatches = []
    calls = [(route, role, "team") for route in COLLECTION_ROUTES for role in ROLES]
    calls += [(route, role, "own") for route in COLLECTION_ROUTES for role in ROLES if role != "anonymous"]
    calls += [(route, role, "none") for route in OTHER_ROUTES for role in ROLES]
    for route, role, target in calls:
        path, kwargs = world.prepare(route, role, target)
        response = world.call(role, ROUTES[route][0], path, **kwargs)
        want = expected_status(route, role, target)
        if response.status_code != want:
            mismatches.append(f"{route} as {role} on {target}: {response.status_code} (want {want}) "
                              f"{response.text[:120]}")
        elif want >= 400:
            assert set(response.json()) == {"code", "message"}
    assert {route for route, _r, _t in calls} == set(ROUTES)
    assert mismatches == [], "\n".join(mismatches)


def test_a_list_never_shows_what_the_detail_route_refuses(world):
    for role in RANK:
        listed = {c["id"] for c in world.ok(role, "GET", "/collections")["items"]}
        feed = world.ok(role, "GET", "/changes", params={"limit": 1000})["items"]
        changed = {c["collection_id"] for c in feed}
        assert changed - {None} <= listed, (role, changed - listed)  # the feed shows no other collection
        every = {world.team, *world.own.values()}
        for cid in every:
            detail = world.call(role, "GET", f"/collections/{cid}").status_code
            assert (detail == 200) == (cid in listed), (role, cid, detail)
        for cid in listed:
            for texture in world.ok(role, "GET", f"/collections/{cid}/textures")["items"]:
                assert world.call(role, "GET", f"/textures/{texture['id']}").status_code == 200
                version = texture["current"]["id"]
                assert world.call(role, "GET", f"/versions/{version}/thumbnail").status_code == 200
