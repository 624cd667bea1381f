"""The change kinds are one list: every audit action a store writes has its kind there (and words
for people), so the feed, webhook filters and Activity never meet a write they cannot name."""

from __future__ import annotations

import re
from pathlib import Path

from server_api.store.change_kinds import ACTION_KINDS, CHANGE_KINDS, KIND_LABELS, kind_label, kind_of

STORE = Path(__file__).resolve().parents[2] / "server_api" / "store" / "sql"
# record_event(s, me, "action", ...), a material change's action="...", and the import batch's two.
WRITTEN = re.compile(r'record_event\(\s*s,\s*me,\s*"(\w+)"|action="(\w+)"|"(add_texture|add_version)"')


def written_actions() -> set[str]:
    found = set()
    for path in STORE.glob("*.py"):
        for match in WRITTEN.finditer(path.read_text(encoding="utf-8")):
            found.add(next(group for group in match.groups() if group))
    return found


def test_every_action_a_store_writes_has_a_kind():
    actions = written_actions()
    assert {"add_texture", "publish", "material_merge", "tag", "comment_added"} <= actions  # the scan works
    assert sorted(actions - set(ACTION_KINDS)) == []


def test_every_kind_is_listed_once_with_words():
    assert len(CHANGE_KINDS) == len(set(CHANGE_KINDS))
    assert set(KIND_LABELS) == set(CHANGE_KINDS)
    assert kind_of("share") == kind_of("revoke") == "grant_changed"
    assert kind_label("something_new") == "Something new"  # a kind not listed yet still reads
