"""A collection's QA rules and what they find (issue 13; the rules: store/qa_rules.py)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field

from server_api.http.deps import Caller
from server_api.http.respond import documented, items, one
from server_api.http.schemas import CollectionId, Items, Strict
from server_api.store.material_entities import MATERIAL_ROLES
from server_api.store.qa_rules import MAX_RULES, QA_LEVELS, RULE_VALUES, QaReport, QaRule, QaRules

_ROLES = "|".join(MATERIAL_ROLES)
_PLAIN = "|".join(k for k in RULE_VALUES if k != "bit_depth")
KEY_PATTERN = rf"^(({_PLAIN})|colour_space\.({_ROLES})|bit_depth\.({_ROLES}))$"

router = APIRouter(prefix="/api/v1/collections", tags=["qa"])


class RuleBody(Strict):
    key: str = Field(max_length=64, pattern=KEY_PATTERN, description="power_of_two, square, max_side, "
                     "min_side, bit_depth.ROLE, unused_alpha, normal_map, colour_space[.ROLE], seam")
    level: Literal[QA_LEVELS]  # type: ignore[valid-type]
    value: str = Field("", max_length=64, description="max_side/min_side: px; bit_depth: 16,32; "
                       "colour_space.ROLE: srgb|linear; seam: the limit (2 = visible)")


class RulesBody(Strict):
    rules: list[RuleBody] = Field(max_length=MAX_RULES)


@router.get("/{collection_id}/qa-rules", responses=documented(QaRules))
def get_qa_rules(collection_id: CollectionId, store: Caller) -> JSONResponse:
    """The collection's QA rules (read level)."""
    return one(store.get_qa_rules(collection_id))


@router.put("/{collection_id}/qa-rules", responses=documented(QaRules))
def set_qa_rules(collection_id: CollectionId, body: RulesBody, store: Caller) -> JSONResponse:
    """Replace the rules (admin level) and check every current version again."""
    rules = [QaRule(r.key, r.level, r.value) for r in body.rules]
    return one(store.set_qa_rules(collection_id, rules))


@router.get("/{collection_id}/qa", responses=documented(Items[QaReport]))
def list_qa_findings(collection_id: CollectionId, store: Caller) -> JSONResponse:
    """Current versions that break a rule, errors first (read level)."""
    return items(store.list_qa_findings(collection_id))
