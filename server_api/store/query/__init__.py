"""The texture query language: one tokenizer, one parser, one AST (pure; compiled to SQL in store/sql)."""

from server_api.store.query.ast import And, Field, Node, Not, Or, Word
from server_api.store.query.parser import parse

__all__ = ["And", "Field", "Node", "Not", "Or", "Word", "parse"]
