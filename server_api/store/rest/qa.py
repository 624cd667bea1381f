"""The QA part of RestVaultStore (server_api.http.routes.qa on the other side; issue 13)."""

from __future__ import annotations

from server_api.core.errors import VaultError
from server_api.store import codec
from server_api.store.qa_rules import QaReport, QaRule, QaRules

API = "/api/v1"


class RestQaMixin:
    def get_qa_rules(self, collection_id: int) -> QaRules:
        return codec.decode(QaRules, self._get(f"/collections/{int(collection_id)}/qa-rules"))

    def set_qa_rules(self, collection_id: int, rules: list[QaRule] | tuple[QaRule, ...]) -> QaRules:
        if not isinstance(rules, list | tuple) or not all(isinstance(r, QaRule) for r in rules):
            raise VaultError("invalid_argument", "QA rules must be a list of rules")
        body = {"rules": [{"key": r.key, "level": r.level, "value": r.value} for r in rules]}
        answer = self._http.call("PUT", f"{API}/collections/{int(collection_id)}/qa-rules", json=body)
        return codec.decode(QaRules, answer)

    def list_qa_findings(self, collection_id: int) -> list[QaReport]:
        return codec.decode_list(QaReport, self._get(f"/collections/{int(collection_id)}/qa"))
