"""QA rules and findings on the SQL face (issue 13; the rules themselves: store/qa_rules.py).

Findings are written into the version rows (image_version.qa_findings + counts) when a version is
imported (``check_versions``, inside the import's transaction: one SELECT when the collection has no
rules) and for every current version whenever the rules change. Pixels (imaging/pixel_facts.py) are
decoded BEFORE the transaction (``pixel_facts``), and only when a rule needs them; an import asks
``wants_pixels`` first and reads them from the decode that makes the thumbnail (ingest.py), so
``import_facts`` decodes only bytes the import did not analyze (already in the vault).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select, update

from server_api.core.errors import VaultError
from server_api.imaging.map_names import read_name
from server_api.store.entities import ImportResult, QaFinding, Version
from server_api.store.qa_rules import (
    ERROR,
    FLOAT_FORMATS,
    MAX_RULES,
    QaReport,
    QaRule,
    QaRules,
    Subject,
    check,
    checked_rule,
    findings_from_json,
    findings_to_json,
    needs_pixels,
    rules_from_json,
    rules_to_json,
)
from server_api.store.sql.access import C, collection_access, record_event
from server_api.store.sql.convert import T, V

if TYPE_CHECKING:
    from server_api.imaging.pixel_facts import PixelFacts

_UPDATE_CHUNK = 2000


class QaMixin:
    def get_qa_rules(self, collection_id: int) -> QaRules:
        me = self._me()
        with self._read() as s:
            collection_access(s, me, collection_id, "read")
            return QaRules(collection_id, _rules_of(s, collection_id))

    def set_qa_rules(self, collection_id: int, rules: list[QaRule] | tuple[QaRule, ...]) -> QaRules:
        checked = _checked_rules(rules)
        me = self._me()
        with self._read() as s:  # decode what the rules need outside the write transaction
            collection_access(s, me, collection_id, "admin")
            files = s.execute(select(V.c.blob_sha256, V.c.format, T.c.name).join(
                T, T.c.current_version_id == V.c.id).where(
                T.c.collection_id == collection_id, T.c.deleted_at.is_(None))).all()
        facts = pixel_facts(self, checked, files)
        with self.session() as s:
            access = collection_access(s, me, collection_id, "admin")
            s.execute(update(C).where(C.c.id == collection_id).values(qa_rules=rules_to_json(checked)))
            said = ", ".join(r.text() for r in checked) or "none"
            record_event(s, me, "qa_rules_changed", f"set QA rules: {said}", access.collection_id)
            current = s.execute(select(T.c.current_version_id).where(
                T.c.collection_id == collection_id, T.c.deleted_at.is_(None))).scalars().all()
            check_versions(self, s, collection_id, current, checked, facts)
        return QaRules(collection_id, checked)

    def list_qa_findings(self, collection_id: int) -> list[QaReport]:
        """The current versions that break a rule, errors first, then by texture name."""
        me = self._me()
        with self._read() as s:
            collection_access(s, me, collection_id, "read")
            rows = s.execute(
                select(T.c.id, T.c.name, V.c.id.label("version_id"), V.c.number, V.c.qa_findings,
                       V.c.qa_errors)
                .join(V, V.c.id == T.c.current_version_id)
                .where(T.c.collection_id == collection_id, T.c.deleted_at.is_(None),
                       (V.c.qa_warnings + V.c.qa_errors) > 0)
                .order_by(V.c.qa_errors.desc(), T.c.name_key, T.c.id)
            ).all()
        return [QaReport(r.id, r.name, r.version_id, r.number, findings_from_json(r.qa_findings))
                for r in rows]


def collection_rules(s, collection_id: int) -> tuple[QaRule, ...]:
    """The collection's rules: an import reads them first, to know whether to read pixel facts."""
    return _rules_of(s, collection_id)


def wants_pixels(s, collection_id: int) -> bool:
    """Whether imports into the collection should read the pixel facts while they decode."""
    return needs_pixels(_rules_of(s, collection_id))


def import_facts(store, files, *, collection_id: int | None = None, texture_id: int | None = None,
                 known: dict[str, PixelFacts | None] | None = None, rules: tuple[QaRule, ...] | None = None
                 ) -> dict[str, PixelFacts | None]:
    """Before an import's transaction: the pixel facts of its files ((sha256, format, name) each)
    when the collection (or the texture's) has a rule that needs pixels; {} otherwise (one SELECT,
    none when the caller read the ``rules``). ``known``: the facts the import's own decode read
    (ingest.facts_read), not decoded again."""
    if rules is None:
        with store._read() as s:
            if collection_id is None:
                collection_id = s.execute(select(T.c.collection_id).where(T.c.id == texture_id)).scalar()
            rules = _rules_of(s, collection_id) if collection_id is not None else ()
    return pixel_facts(store, rules, files, known)


def pixel_facts(store, rules, files, known: dict[str, PixelFacts | None] | None = None
                ) -> dict[str, PixelFacts | None]:
    """sha256 -> facts of each (sha256, format, name) when ``rules`` need pixels: the ``known`` ones,
    else the bytes decoded within the decode budget (imaging/pixel_facts.py); EXR/HDR give none."""
    if not needs_pixels(rules):
        return {}
    from server_api.imaging.pixel_facts import facts_of_stream  # Pillow + numpy: only when needed

    facts: dict[str, PixelFacts | None] = dict(known or {})
    for sha256, fmt, name in files:
        if sha256 in facts:
            continue
        if fmt in FLOAT_FORMATS:
            facts[sha256] = None
            continue
        with _open_bytes(store, sha256) as stream:
            facts[sha256] = facts_of_stream(stream, name)
    return facts


def _open_bytes(store, sha256: str):
    """The bytes, from the store's ContentStore (issue 15) or, until that lands, its blob folder."""
    content = getattr(store, "content", None)
    return content.open(sha256) if content is not None else store.blobs.open(sha256)


def check_versions(store, s, collection_id: int, version_ids, rules: tuple[QaRule, ...] | None = None,
                   facts: dict[str, PixelFacts | None] | None = None) -> dict[int, tuple[QaFinding, ...]]:
    """Check versions of one collection against its rules and store the findings (inside the
    caller's transaction). ``facts``: sha256 -> pixel facts decoded beforehand; a version without
    them passes the pixel rules. Returns version id -> findings (only versions with some)."""
    facts = facts or {}
    rules = _rules_of(s, collection_id) if rules is None else rules
    version_ids = [v for v in version_ids if v is not None]
    if not version_ids:
        return {}
    if not rules:
        _clear(s, version_ids)
        return {}
    found: dict[int, tuple[QaFinding, ...]] = {}
    for start in range(0, len(version_ids), _UPDATE_CHUNK):
        chunk = version_ids[start:start + _UPDATE_CHUNK]
        rows = s.execute(
            select(V.c.id, V.c.width, V.c.height, V.c.bit_depth, V.c.has_alpha, V.c.format,
                   V.c.colour_space, V.c.blob_sha256, T.c.name)
            .join(T, T.c.id == V.c.texture_id).where(V.c.id.in_(chunk))
        ).all()
        values = []
        for row in rows:
            subject = Subject(row.width, row.height, row.bit_depth, bool(row.has_alpha), row.colour_space,
                              read_name(row.name).role)
            findings = check(rules, subject, lambda sha=row.blob_sha256: facts.get(sha))
            if findings:
                found[row.id] = findings
            errors = sum(f.level == ERROR for f in findings)
            values.append({"vid": row.id, "f": findings_to_json(findings), "w": len(findings) - errors,
                           "e": errors})
        if values:
            s.execute(update(V).where(V.c.id == bindparam("vid")).values(
                qa_findings=bindparam("f"), qa_warnings=bindparam("w"), qa_errors=bindparam("e")), values)
    return found


def _clear(s, version_ids: list[int]) -> None:
    for start in range(0, len(version_ids), _UPDATE_CHUNK):
        chunk = version_ids[start:start + _UPDATE_CHUNK]
        s.execute(update(V).where(V.c.id.in_(chunk), V.c.qa_findings != "")
                  .values(qa_findings="", qa_warnings=0, qa_errors=0))


def _rules_of(s, collection_id: int) -> tuple[QaRule, ...]:
    return rules_from_json(s.execute(select(C.c.qa_rules).where(C.c.id == collection_id)).scalar() or "")


def _checked_rules(rules) -> tuple[QaRule, ...]:
    if not isinstance(rules, list | tuple):
        raise VaultError("invalid_argument", "QA rules must be a list of rules")
    if len(rules) > MAX_RULES:
        raise VaultError("invalid_argument", f"at most {MAX_RULES} QA rules, not {len(rules)}")
    checked: dict[str, QaRule] = {}
    for rule in rules:
        if not isinstance(rule, QaRule):
            raise VaultError("invalid_argument", f"not a QA rule: {str(rule)[:60]!r}")
        if rule.key in checked:
            raise VaultError("invalid_argument", f"QA rule {rule.key[:40]!r} is given twice")
        checked[rule.key] = checked_rule(rule.key, rule.level, rule.value)
    return tuple(sorted(checked.values(), key=lambda r: r.key))


def with_findings(version: Version, findings: tuple[QaFinding, ...]) -> Version:
    """A version entity built from the import's own values, with the findings just stored."""
    errors = sum(f.level == ERROR for f in findings)
    return replace(version, qa=findings, qa_warnings=len(findings) - errors, qa_errors=errors)


def results_with_findings(store, s, collection_id: int, results: list[ImportResult],
                          facts: dict[str, PixelFacts | None], facts_rules: tuple[QaRule, ...] | None = None
                          ) -> list[ImportResult]:
    """Check what a batch import just made (the new current versions of its textures) and put the
    findings on its results. ``facts_rules``: the rules the facts were read for; when the rules now
    need pixels and those did not (changed during the import), "conflict": the caller reads the
    rules and the facts again and retries, rather than passing the pixel rules unchecked."""
    made = [r.texture_id for r in results if r.status in ("added", "new_version")]
    rules = _rules_of(s, collection_id) if made else ()
    if not rules:  # new versions start with no findings: nothing to check or to write
        return results
    if facts_rules is not None and needs_pixels(rules) and not needs_pixels(facts_rules):
        raise VaultError("conflict", "the collection's QA rules changed during the import")
    current = dict(s.execute(select(T.c.id, T.c.current_version_id).where(T.c.id.in_(made))).all())
    found = check_versions(store, s, collection_id, list(current.values()), rules, facts=facts)
    return [replace(r, qa=found.get(current.get(r.texture_id), ())) if r.texture_id in current else r
            for r in results]
