"""QA rules and findings: a part of the VaultStore interface (both faces implement it; issue 13).

A collection's admins set its rules (store/qa_rules.py); anyone who can read the collection sees
them and the findings. Findings are stored per version (``Version.qa`` with counts) when the version
is imported, and for every current version when the rules change or its colour space is set.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from server_api.store.qa_rules import QaReport, QaRule, QaRules


class QaApi(ABC):
    @abstractmethod
    def get_qa_rules(self, collection_id: int) -> QaRules:
        """The collection's rules, sorted by key (read level)."""

    @abstractmethod
    def set_qa_rules(self, collection_id: int, rules: list[QaRule] | tuple[QaRule, ...]) -> QaRules:
        """Replace the collection's rules (admin level; an empty list removes them all) and check
        every current version again. A bad rule: "invalid_argument" naming it, nothing changes."""

    @abstractmethod
    def list_qa_findings(self, collection_id: int) -> list[QaReport]:
        """The current versions that break a rule, those with errors first (read level)."""
