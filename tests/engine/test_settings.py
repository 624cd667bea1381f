"""One typed settings object: the only reader of the environment, every bad value named, every
variable documented in the README, and `vault-server config` showing them with secrets masked."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from server_api.core.errors import VaultError
from server_api.core.settings import Settings, documented_variables, masked

REPO = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = REPO / "server_api" / "core" / "settings.py"
READS_ENVIRONMENT = re.compile(r"\bos\.environ\b|\bgetenv\b|\bfrom os import environ\b|\benviron\[")
NUMERIC = {f.name: f for f in dataclasses.fields(Settings)
           if f.type.split("|")[0].strip() in ("int", "float")}


def test_no_module_but_the_settings_reads_the_environment():
    offenders = []
    for package in ("server_api", "vault_desktop"):
        for path in sorted((REPO / package).rglob("*.py")):
            if path == SETTINGS_MODULE:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if READS_ENVIRONMENT.search(line):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == [], "read them through server_api.core.settings.Settings:\n" + "\n".join(offenders)


def test_the_check_finds_a_reader_when_there_is_one(tmp_path):
    # The pattern above must catch the usual spellings, or the test before this one proves nothing.
    for line in ('x = os.environ.get("VAULT")', 'x = os.getenv("VAULT")', "from os import environ"):
        assert READS_ENVIRONMENT.search(line), line
    assert not READS_ENVIRONMENT.search("config = settings()")


@pytest.mark.parametrize("name", sorted(NUMERIC))
def test_a_value_that_is_not_a_number_is_an_error_naming_the_variable(name):
    env = NUMERIC[name].metadata["env"]
    with pytest.raises(VaultError) as caught:
        Settings.from_env({env: "lots"})
    assert caught.value.code == "invalid_argument" and env in caught.value.message
    assert "'lots'" in caught.value.message  # the value given, so the user sees what was wrong


@pytest.mark.parametrize("name", sorted(NUMERIC))
def test_a_negative_amount_is_an_error_naming_the_variable(name):
    env = NUMERIC[name].metadata["env"]
    with pytest.raises(VaultError) as caught:
        Settings.from_env({env: "-1"})
    assert env in caught.value.message


def test_a_choice_outside_the_list_is_an_error_naming_the_variable():
    with pytest.raises(VaultError) as caught:
        Settings.from_env({"VAULT_PASSWORD_HASH": "fast"})
    assert "VAULT_PASSWORD_HASH" in caught.value.message and "'fast'" in caught.value.message


def test_values_are_parsed_to_their_types_and_blank_means_the_default():
    parsed = Settings.from_env({"VAULT_MAX_UPLOAD_MB": "2.5", "VAULT_MAX_IMAGE_PIXELS": "1000",
                                "VAULT_DATA_DIR": "~/srv", "VAULT_DATABASE_URL": "  "})
    assert parsed.max_upload_bytes == int(2.5 * (1 << 20)) and parsed.max_image_pixels == 1000
    assert parsed.server_data_dir == Path("~/srv").expanduser() and parsed.database_url is None


def test_the_readme_table_lists_every_variable():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1) for m in re.finditer(r"^\| `([A-Z_]+)` \|", section, re.M)}
    missing = [env for env, _default, _doc in documented_variables() if env not in rows]
    assert missing == [], f"add these to README's Settings table: {missing}"


def test_vault_server_config_prints_every_setting_with_secrets_masked(tmp_path):
    secret_url = "postgresql+psycopg://vault:hunter2-secret@db/vault"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "VAULT_DATABASE_URL": secret_url,
           "VAULT_TOKEN": "tok-abc123-secret", "VAULT_MAX_UPLOAD_MB": "64", "VAULT_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "server_api.cli.server", "config"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    for variable, _default, doc in documented_variables():
        assert variable in done.stdout and doc in done.stdout
    assert "hunter2" not in done.stdout and "tok-abc123" not in done.stdout
    assert re.search(r"VAULT_DATABASE_URL\s+postgresql\+psycopg://vault:\*{4}@db/vault  \[env\]", done.stdout)
    assert re.search(r"VAULT_TOKEN\s+\*{4}  \[env\]", done.stdout)
    assert re.search(r"VAULT_MAX_UPLOAD_MB\s+64\.0  \[env\]", done.stdout)
    assert re.search(r"VAULT_MAX_IMAGE_PIXELS\s+268435456  \[default\]", done.stdout)
    assert re.search(rf"VAULT_DATA_DIR\s+{re.escape(str(tmp_path))}  \[env\]", done.stdout)


def test_vault_server_config_json_has_every_setting_its_source_and_no_secret(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "VAULT_TOKEN": "tok-abc123-hush",
           "VAULT_DATABASE_URL": "postgresql+psycopg://vault:hunter2-hush@db/vault?sslpassword=pw-hush",
           "VAULT_UPLOADS_PER_USER": "3", "VAULT": "https://ann:ann-hush@vault.example:8765/"}
    done = subprocess.run([sys.executable, "-m", "server_api.cli.server", "config", "--json"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert list(shown) == [variable for variable, _default, _doc in documented_variables()]
    assert "hush" not in done.stdout
    assert shown["VAULT_UPLOADS_PER_USER"] == {"value": 3, "source": "env",
                                               "doc": shown["VAULT_UPLOADS_PER_USER"]["doc"]}
    assert shown["VAULT_UPLOADS_TOTAL"]["source"] == "default" and shown["VAULT_UPLOADS_TOTAL"]["value"] == 16
    assert shown["VAULT_DATABASE_URL"]["value"] == "postgresql+psycopg://vault:****@db/vault?sslpassword=****"
    assert shown["VAULT"]["value"] == "https://ann:****@vault.example:8765/"  # not a secret, its password is
    assert shown["VAULT_TOKEN"]["value"] == "****" and shown["VAULT_DATA_DIR"]["value"] is None


@pytest.mark.parametrize(("value", "secret", "shown"), [
    ("postgresql+psycopg://db.example/vault", True, "postgresql+psycopg://db.example/vault"),
    ("postgresql://u:p@h/d", True, "postgresql://u:****@h/d"),
    ("postgresql://:p@h/d", True, "postgresql://:****@h/d"),
    ("s3://bucket?endpoint=http://127.0.0.1:8333", False, "s3://bucket?endpoint=http://127.0.0.1:8333"),
    ("s3://bucket?endpoint=http://h:8333&secret_key=abc", False, "s3://bucket?endpoint=http://h:8333&secret_key=****"),
    ("plain-token", True, "****"), ("/srv/vault", False, "/srv/vault"), ("", True, ""),
])
def test_masked_keeps_what_helps_and_hides_secrets(value, secret, shown):
    assert masked(value, secret=secret) == shown


def test_vault_server_config_names_a_bad_variable_and_fails():
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "VAULT_MAX_UPLOAD_MB": "big"}
    done = subprocess.run([sys.executable, "-m", "server_api.cli.server", "config"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 2 and "VAULT_MAX_UPLOAD_MB" in done.stderr and "'big'" in done.stderr
