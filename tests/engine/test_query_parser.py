"""The query language's parser: the AST for every construct, and errors that name the token."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server_api.core.errors import VaultError
from server_api.store.query import And, Field, Not, Or, Word, parse


def test_the_issue_example_parses_to_one_and_of_every_field():
    node = parse("wood -wip tag:bark format:png,tga size:>=2048 depth:16 alpha:yes role:normal "
                 "added:>2026-01-01 by:Rita")
    assert node == And((
        Word("wood"), Not(Word("wip")), Field("tag", "=", ("bark",)), Field("format", "=", ("PNG", "TGA")),
        Field("size", ">=", (2048,)), Field("depth", "=", (16,)), Field("alpha", "=", (True,)),
        Field("role", "=", ("normal",)), Field("added", ">", (datetime(2026, 1, 1, tzinfo=UTC),)),
        Field("by", "=", ("rita",)),
    ))


def test_or_binds_looser_than_and_and_parentheses_group():
    assert parse("a b OR c") == Or((And((Word("a"), Word("b"))), Word("c")))
    assert parse("a (b OR c)") == And((Word("a"), Or((Word("b"), Word("c")))))
    assert parse("-(a OR b)") == Not(Or((Word("a"), Word("b"))))
    assert parse('"old wall" or') == And((Word("old wall"), Word("or")))  # only upper-case OR joins
    assert parse("size:2k format:.JPG") == And((Field("size", "=", (2048,)), Field("format", "=", ("JPEG",))))
    assert parse("   ") is None


@pytest.mark.parametrize(("text", "named"), [
    ("a (b", "at 3 ('('): this parenthesis is never closed"),
    ("a )", "at 3 (')'): no parenthesis opened before it"),
    ("a (", "at 3 ('('): this parenthesis is never closed"),
    ("OR a", "at 1 ('OR')"),
    ("a OR", "at 3 ('OR')"),
    ("a OR OR b", "at 3 ('OR')"),
    ("()", "empty parentheses"),
    ("size:>big", "at 1 ('size:>big'): size: wants a whole number"),
    ("format:png,xyz", "format: wants one of png"),
    ("depth:12", "depth: wants 8, 16 or 32"),
    ("alpha:maybe", "alpha: wants yes or no"),
    ("added:yesterday", "added: wants a date"),
    ("role:hat", "role: wants a material role"),
    ("alpha:>yes", "takes no comparison"),
    ("size:>1,2", "a comparison takes one value"),
    ("shade:blue", "unknown field 'shade'"),
    ('x "open', "at 3: the quote"),
    ("(" * 30 + "a" + ")" * 30, "nested deeper"),
    ("a" * 1001, "longer than 1000"),
])
def test_malformed_queries_name_the_token_and_position(text, named):
    with pytest.raises(VaultError) as err:
        parse(text)
    assert err.value.code == "invalid_argument" and named in err.value.message


def test_a_query_that_is_not_text_is_refused():
    with pytest.raises(VaultError) as err:
        parse(["tag:wood"])
    assert err.value.code == "invalid_argument"
