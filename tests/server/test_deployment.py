"""The deployment files say the same as the code (issue 15): compose.yaml, the Dockerfile, the Caddy
config and the SeaweedFS init script against Settings, the server's CLI and each other. Container
images cannot be fetched here, so these are the checks a typo would fail; the local twin of the
same topology (scripts/cluster.sh) runs for real in test_cluster_script.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from server_api.core.settings import Settings, documented_variables

REPO = Path(__file__).resolve().parents[2]
SERVERS = ("server-a", "server-b")
SERVER_PORT = 8765


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))


def substituted(value: str) -> str:
    """A compose value with ${VAR:?message} filled in as a studio's .env would."""
    return re.sub(r"\$\{(\w+)(:?[?-][^}]*)?\}", lambda m: f"example-{m.group(1).lower()}", value)


def server_env(compose: dict, name: str) -> dict[str, str]:
    return {key: substituted(str(value)) for key, value in compose["services"][name]["environment"].items()}


def test_the_topology_is_two_servers_a_proxy_postgres_and_seaweedfs(compose):
    services = compose["services"]
    assert set(services) >= {*SERVERS, "proxy", "postgres", "seaweedfs", "seaweedfs-init"}
    assert [services[name].get("build") for name in SERVERS] == [".", "."]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}, "only the proxy faces the network; servers are reached through it"
    assert services["proxy"]["ports"] == [f"{SERVER_PORT}:80"]
    for name in SERVERS:
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["seaweedfs-init"]["condition"] == "service_completed_successfully"
        volumes = services[name]["volumes"]
        assert len(volumes) == 1 and volumes[0].endswith(":/srv/vault/data")  # the Dockerfile's data dir
    declared = set(compose["volumes"])
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", []) if not v.startswith(".")}
    assert used == declared


def test_every_server_variable_is_a_setting_and_parses(compose):
    known = {variable for variable, _default, _doc in documented_variables()}
    for name in SERVERS:
        env = server_env(compose, name)
        assert set(env) <= known, f"{name}: not Texture Vault settings: {sorted(set(env) - known)}"
        parsed = Settings.from_env(env)  # every value parses and passes the checks
        assert parsed.database_url and parsed.content_url and parsed.forwarded_allow_ips


def test_the_servers_reach_postgres_and_seaweedfs_as_compose_defines_them(compose):
    services = compose["services"]
    postgres = {k: substituted(v) for k, v in services["postgres"]["environment"].items()}
    weed = services["seaweedfs"]["command"]
    s3_port = next(int(arg.split("=")[1]) for arg in weed if arg.startswith("-s3.port="))
    assert weed[:2] == ["server", "-s3"]
    for name in SERVERS:
        env = server_env(compose, name)
        db = urlsplit(env["VAULT_DATABASE_URL"])
        assert db.scheme == "postgresql+psycopg" and (db.hostname, db.port) == ("postgres", 5432)
        assert db.username == postgres["POSTGRES_USER"] and db.password == postgres["POSTGRES_PASSWORD"]
        assert db.path == "/" + postgres["POSTGRES_DB"]
        content = urlsplit(env["VAULT_CONTENT_URL"])
        endpoint = urlsplit(parse_qs(content.query)["endpoint"][0])
        assert content.scheme == "s3" and (endpoint.hostname, endpoint.port) == ("seaweedfs", s3_port)
        init = {k: substituted(v) for k, v in services["seaweedfs-init"]["environment"].items()}
        assert content.netloc == init["BUCKET"]
        assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == (init["S3_ACCESS_KEY"],
                                                                         init["S3_SECRET_KEY"])
    assert services["seaweedfs-init"]["environment"]["MASTER"].startswith("seaweedfs:")
    assert services["seaweedfs-init"]["image"] == services["seaweedfs"]["image"]


def test_the_proxy_sends_to_both_servers_on_the_port_they_serve():
    caddy = (REPO / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", caddy).group(1).split()
    assert upstreams == [f"{name}:{SERVER_PORT}" for name in SERVERS]
    assert "health_uri /healthz" in caddy and "lb_policy round_robin" in caddy
    assert re.search(r"^:80 \{", caddy, re.M)  # the port compose publishes


def test_the_dockerfile_serves_on_the_port_and_data_dir_compose_uses():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    command = re.search(r'^CMD (\[.*\])$', dockerfile, re.M).group(1)
    args = yaml.safe_load(command)
    assert args[:2] == ["vault-server", "serve"]
    assert args[args.index("--port") + 1] == str(SERVER_PORT) and args[args.index("--host") + 1] == "0.0.0.0"
    assert args[args.index("--data") + 1] == "/srv/vault/data"
    assert f"EXPOSE {SERVER_PORT}" in dockerfile
    assert f"127.0.0.1:{SERVER_PORT}/healthz" in dockerfile.split("HEALTHCHECK", 1)[1]
    user = re.search(r"^USER (\S+)$", dockerfile, re.M).group(1)
    assert user != "root" and "useradd --system --uid 10001 --user-group --home-dir /srv/vault" in dockerfile
    for copied in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M):
        for path in copied.split():
            assert (REPO / path).exists(), f"the Dockerfile copies {path}, which is not in the checkout"
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert "server_api" not in ignored and "deploy" not in ignored


def test_the_image_installs_the_server_without_qt():
    done = subprocess.run([sys.executable, str(REPO / "deploy" / "server_requirements.py")],
                          capture_output=True, text=True, check=True, timeout=30)
    wanted = done.stdout.split()
    names = {re.split(r"[<>=\[;]", line)[0].lower() for line in wanted}
    assert not any(name.startswith("pyside6") for name in names)
    assert {"fastapi", "uvicorn", "psycopg", "boto3", "sqlalchemy", "pillow", "argon2-cffi"} <= names


def test_the_seaweedfs_init_script_is_valid_shell_using_what_compose_passes(compose):
    script = REPO / "deploy" / "seaweedfs-init.sh"
    subprocess.run(["sh", "-n", str(script)], check=True, timeout=10)
    needed = set(re.findall(r"\$\{(\w+):\?\}", script.read_text(encoding="utf-8")))
    given = set(compose["services"]["seaweedfs-init"]["environment"])
    assert needed and needed <= given
    entry = compose["services"]["seaweedfs-init"]["entrypoint"]
    mounted = compose["services"]["seaweedfs-init"]["volumes"][0].split(":")
    assert mounted[0] == "./deploy/seaweedfs-init.sh" and entry == ["/bin/sh", mounted[1]]
