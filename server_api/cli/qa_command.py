"""`vault qa --collection NAME [--json]` and `vault qa-rules --collection NAME [--set KEY=VALUE ...]
[--json]` (issue 13): a collection's QA findings, and its rules (store/qa_rules.py).

`vault qa` exits 1 when any current version has an error-level finding, 0 otherwise, so a texture
pipeline can gate on it. `--json` prints one object per texture with findings:

    {"texture_id": 7, "texture": "brick_normal.png", "version_id": 9, "version": 2,
     "findings": [{"rule": "power_of_two", "level": "error", "message": "not power of two (1000x512)"}]}

`vault qa-rules` prints the rules; each `--set` adds or changes one (KEY, KEY=LEVEL,
KEY=VALUE:LEVEL) or removes it (KEY=off), all in one change (admin level).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from server_api.cli.output import print_json
from server_api.store.base import VaultStore
from server_api.store.qa_rules import ERROR, RULE_VALUES, parse_setting

COMMANDS = ("qa", "qa-rules")


def add_commands(commands) -> None:
    qa = commands.add_parser("qa", help="QA findings of a collection's current versions (exit 1 on errors)")
    qa.add_argument("--collection", required=True, metavar="NAME")
    qa.add_argument("--json", action="store_true", help="one JSON object per texture with findings")
    rules = commands.add_parser("qa-rules", help="show or set a collection's QA rules (admins set)")
    rules.add_argument("--collection", required=True, metavar="NAME")
    rules.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help=f"KEY, KEY=LEVEL, KEY=VALUE:LEVEL or KEY=off; keys: {', '.join(RULE_VALUES)}")
    rules.add_argument("--json", action="store_true")


def run(store: VaultStore, args: argparse.Namespace) -> int:
    collection = store.find_collection(args.collection)
    if args.command == "qa":
        return _findings(store, collection.id, args.json)
    return _rules(store, collection.id, args.set, args.json)


def _findings(store: VaultStore, collection_id: int, as_json: bool) -> int:
    reports = store.list_qa_findings(collection_id)
    for report in reports:
        if as_json:
            print_json({"texture_id": report.texture_id, "texture": report.texture_name,
                        "version_id": report.version_id, "version": report.version,
                        "findings": [asdict(f) for f in report.findings]})
            continue
        print(f"{report.texture_name} (texture {report.texture_id}) v{report.version}")
        for f in report.findings:
            print(f"  {f.level:<7}  {f.message}  [{f.rule}]")
    errors = sum(f.level == ERROR for r in reports for f in r.findings)
    if not as_json:
        warnings = sum(len(r.findings) for r in reports) - errors
        print(f"{len(reports)} texture(s) with findings: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def _rules(store: VaultStore, collection_id: int, settings: list[str], as_json: bool) -> int:
    rules = store.get_qa_rules(collection_id).rules
    if settings:
        by_key = {r.key: r for r in rules}
        for text in settings:
            key, rule = parse_setting(text)
            if rule is None:
                by_key.pop(key, None)
            else:
                by_key[key] = rule
        rules = store.set_qa_rules(collection_id, list(by_key.values())).rules
    if as_json:
        print_json({"rules": [asdict(r) for r in rules]})
    elif not rules:
        print("no QA rules")
    else:
        for rule in rules:
            print(rule.text())
    return 0
