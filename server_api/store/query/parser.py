"""Query text -> AST. Free words AND by default, ``OR``, ``-`` negates, parentheses group,
``field:value`` (see fields.py), double quotes keep spaces. A malformed query raises
VaultError("invalid_argument") naming the bad token and its position (1-based character)."""

from __future__ import annotations

from dataclasses import dataclass

from server_api.core.errors import VaultError
from server_api.store.query.ast import And, Field, Node, Not, Or, Word
from server_api.store.query.fields import COMPARISONS, FIELDS

MAX_QUERY = 1000  # characters (a URL carries ?q= percent-encoded: up to 12 bytes each)
MAX_DEPTH = 20  # nested parentheses / negations


@dataclass(frozen=True)
class Token:
    kind: str  # word | open | close | not | or
    text: str
    pos: int  # 0-based index of its first character


def parse(text: str) -> Node | None:
    """The AST of ``text``; None for a blank query (everything matches)."""
    if not isinstance(text, str):
        raise VaultError("invalid_argument", "the query must be text")
    if len(text) > MAX_QUERY:
        raise VaultError("invalid_argument", f"the query is longer than {MAX_QUERY} characters")
    tokens = tokenize(text)
    if not tokens:
        return None
    parser = _Parser(tokens)
    node = parser.expression(0)
    if parser.at < len(tokens):  # only a stray ")" stops the top level early
        raise _bad(tokens[parser.at], "no parenthesis opened before it")
    return node


def tokenize(text: str) -> list[Token]:
    tokens, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(Token("open" if ch == "(" else "close", ch, i))
            i += 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace():
            tokens.append(Token("not", "-", i))
            i += 1
        else:
            start, word = i, []
            while i < n and not text[i].isspace() and text[i] not in "()":
                if text[i] == '"':
                    end = text.find('"', i + 1)
                    if end < 0:
                        raise VaultError("invalid_argument",
                                         f'bad query at {i + 1}: the quote opened there is never closed')
                    word.append(text[i + 1:end])
                    i = end + 1
                else:
                    word.append(text[i])
                    i += 1
            raw = text[start:i]
            if raw == "OR":
                tokens.append(Token("or", raw, start))
            else:
                tokens.append(Token("word", "".join(word), start))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens, self.at = tokens, 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def expression(self, depth: int) -> Node:
        """and-groups joined by OR."""
        groups = [self.conjunction(depth)]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.at += 1
            if self.peek() is None or self.peek().kind in ("or", "close"):
                raise _bad(tok, "OR needs something on both sides")
            groups.append(self.conjunction(depth))
        return groups[0] if len(groups) == 1 else Or(tuple(groups))

    def conjunction(self, depth: int) -> Node:
        items = []
        while (tok := self.peek()) is not None and tok.kind not in ("or", "close"):
            items.append(self.unary(depth))
        if not items:
            tok = self.peek() or self.tokens[self.at - 1]
            raise _bad(tok, "OR needs something on both sides" if tok.kind == "or" else "unexpected")
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise _bad(self.tokens[self.at], f"nested deeper than {MAX_DEPTH}")
        tok = self.tokens[self.at]
        self.at += 1
        if tok.kind == "not":
            if self.peek() is None or self.peek().kind in ("or", "close"):
                raise _bad(tok, "- needs a word, a field or a group after it")
            return Not(self.unary(depth + 1))
        if tok.kind == "open":
            if self.peek() is None:
                raise _bad(tok, "this parenthesis is never closed")
            if self.peek().kind == "close":
                raise _bad(tok, "empty parentheses")
            node = self.expression(depth + 1)
            close = self.peek()
            if close is None or close.kind != "close":
                raise _bad(tok, "this parenthesis is never closed")
            self.at += 1
            return node
        if tok.kind == "close":
            raise _bad(tok, "no parenthesis opened before it")
        return _term(tok)


def _term(tok: Token) -> Node:
    name, colon, value = tok.text.partition(":")
    if not colon or name.lower() not in FIELDS:
        if colon and name.isalpha():
            raise _bad(tok, f"unknown field {name!r}; fields are {', '.join(FIELDS)}")
        return Word(tok.text)
    spec = FIELDS[name.lower()]
    op = "="
    if spec.compares:
        op = next((c for c in COMPARISONS if value.startswith(c)), "=")
        value = value[len(op):] if value.startswith(op) else value
    elif value[:1] in "<>":
        raise _bad(tok, f"{spec.name}: takes no comparison ({spec.help})")
    parts = value.split(",") if spec.many else [value]
    values = []
    for part in parts:
        try:
            values.append(spec.convert(part.strip()))
        except ValueError as exc:
            raise _bad(tok, f"{spec.name}: wants {exc}") from None
    if op != "=" and len(values) > 1:
        raise _bad(tok, f"{spec.name}: a comparison takes one value")
    return Field(spec.name, op, tuple(values))


def _bad(tok: Token, why: str) -> VaultError:
    return VaultError("invalid_argument", f"bad query at {tok.pos + 1} ({tok.text!r}): {why}")
