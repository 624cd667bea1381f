"""Entities survive the trip through JSON exactly, and a malformed answer is a clear VaultError."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from server_api.core.errors import VaultError
from server_api.store import codec
from server_api.store.entities import (
    AuditEvent,
    Collection,
    Grant,
    Page,
    StorageUsage,
    Texture,
    TextureQuery,
    User,
    Version,
)

WHEN = datetime(2026, 11, 22, 4, 5, 6, 789, tzinfo=UTC)
VERSION = Version(7, 3, 2, "ab" * 32, 12345, "TIFF", 4096, 2048, "I;16", 16, False, True, 6, "fixed seams",
                  "rita", WHEN, True, WHEN + timedelta(hours=1))
TEXTURE = Texture(3, 1, "rock_albedo.tif", "C:\\art\\rock_albedo.tif", WHEN, WHEN, 2, VERSION, None)
ENTITIES = [
    User(1, "rita", "Rita R.", False, True, WHEN),
    Collection(1, "Props", "", "olivia", WHEN, 0, "read", True),
    TEXTURE,
    VERSION,
    Grant(1, "rita", "read", None, WHEN),
    AuditEvent(9, 1, None, None, "olivia", "share", "granted read to rita", WHEN),
    StorageUsage(1, "Props", "olivia", 1, 2, 2**40),
]


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: type(e).__name__)
def test_every_entity_round_trips_through_json(entity):
    assert codec.decode(type(entity), json.loads(json.dumps(codec.encode(entity)))) == entity


def test_a_page_keeps_its_items_order_and_cursor():
    page = Page(items=(TEXTURE, TEXTURE), next="opaque-cursor")
    assert codec.decode_page(Texture, json.loads(json.dumps(codec.encode_page(page)))) == page


def test_datetimes_keep_their_offset():
    east = WHEN.astimezone(timezone(timedelta(hours=9)))
    user = User(1, "a", "", False, True, east)
    back = codec.decode(User, codec.encode(user))
    assert back.created_at == WHEN and back.created_at.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize("payload", [
    {"id": True, "username": "a", "display_name": "", "is_admin": False, "is_active": True,
     "created_at": "2026-11-22T00:00:00+00:00"},
    {"id": 1, "username": "a"},
    {"id": 1, "username": "a", "display_name": "", "is_admin": False, "is_active": True,
     "created_at": "yesterday"},
    ["not", "an", "object"],
])
def test_a_malformed_answer_is_an_internal_vault_error_naming_the_entity(payload):
    with pytest.raises(VaultError) as caught:
        codec.decode(User, payload)
    assert caught.value.code == "internal" and "User" in caught.value.message


def test_a_query_becomes_only_the_parameters_that_differ_from_the_default():
    assert codec.query_to_params(TextureQuery()) == {}
    query = TextureQuery(text="rock format:png,tiff alpha:no", sort="size", descending=True)
    assert codec.query_to_params(query) == {
        "q": "rock format:png,tiff alpha:no", "sort": "size", "descending": "true"}
