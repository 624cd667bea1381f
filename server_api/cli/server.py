"""``vault-server``: run the shared server, and create its accounts.

    vault-server serve --data DIR [--host 127.0.0.1] [--port 8765] [--workers N]
    vault-server create-user NAME [--admin] [--display-name TEXT] --data DIR
    vault-server config [--json]        # every setting: its value here (secrets masked), env or default, doc
    vault-server webhooks add URL [--kind K ...] | list | remove ID | deliveries ID  --data DIR
    vault-server storage --data DIR [--keep-last N] [--json]   # bytes per collection; what retention frees

VAULT_DATABASE_URL=postgresql+psycopg://… puts the database on PostgreSQL (blobs stay in DIR);
VAULT_MAX_UPLOAD_MB caps one upload (default 1024); `vault-server config` lists every setting.
The password of a new user comes from a prompt, or from one line on stdin when stdin is not a
terminal (for scripts).
"""

from __future__ import annotations

import argparse
import getpass
import json
import socket
import sys
from pathlib import Path

from server_api.cli.server_admin import acting_admin
from server_api.core import settings as settings_module
from server_api.core.errors import VaultError
from server_api.core.settings import settings


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except VaultError as exc:
        print(f"vault-server: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except ModuleNotFoundError as exc:
        if exc.name not in _SERVER_EXTRA_MODULES:
            raise
        print(f"vault-server: the server's packages are not installed ({exc.name} is missing): run "
              "'bash scripts/setup.sh server' or pip install 'texture-vault[server]'", file=sys.stderr)
        return 2


# Top-level modules of pyproject's "server" extra: missing means the app-only install.
_SERVER_EXTRA_MODULES = {"fastapi", "uvicorn", "multipart", "python_multipart", "argon2", "psycopg",
                         "starlette", "pydantic"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vault-server", description="Texture Vault shared server")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the REST API (OpenAPI docs at /docs)")
    serve.add_argument("--data", required=True, type=Path, help="folder for the database and the blobs")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=_serve)

    create = commands.add_parser("create-user", help="add an account (password from a prompt or stdin)")
    create.add_argument("name")
    create.add_argument("--admin", action="store_true", help="a server admin: sees and manages everything")
    create.add_argument("--display-name", default="")
    create.add_argument("--data", required=True, type=Path)
    create.set_defaults(run=_create_user)

    config = commands.add_parser("config", help="print every setting: its value here (secrets masked), "
                                                "whether the environment set it, what it does")
    config.add_argument("--json", action="store_true",
                        help='one JSON object: {"VARIABLE": {"value", "source", "doc"}, ...}')
    config.set_defaults(run=_config)
    from server_api.cli.webhooks_command import add_webhook_commands

    add_webhook_commands(commands)
    from server_api.cli.backup_command import add_backup_commands

    add_backup_commands(commands)
    from server_api.cli.storage_command import add_storage_command

    add_storage_command(commands)
    return parser


def _config(args) -> int:
    rows = settings().described()
    if args.json:
        print(json.dumps({env: {"value": value, "source": source, "doc": doc}
                          for env, value, source, doc in rows}, indent=2))
        return 0
    width = max(len(env) for env, *_rest in rows)
    for env, value, source, doc in rows:
        shown = "(not set)" if value is None or value == "" else value
        print(f"{env:<{width}}  {shown}  [{source}]\n{'':<{width}}  {doc}")
    return 0


def _require_server_extra() -> None:
    """Say a missing server extra before anything is created (ModuleNotFoundError -> main's one line)."""
    import argon2  # noqa: F401
    import fastapi  # noqa: F401
    import uvicorn  # noqa: F401


def _serve(args) -> int:
    _require_server_extra()
    import uvicorn

    from server_api.store.sql.opening import open_server_store

    data_dir = args.data.expanduser().resolve()
    _check_port_free(args.host, args.port)
    # Migrate once here, before any worker starts, so workers never race on the schema.
    open_server_store(settings(), data_dir).close()
    settings_module.export("VAULT_DATA_DIR", str(data_dir))  # the workers' app factory reads it
    print(f"Texture Vault server on http://{args.host}:{args.port} (data in {data_dir}; docs at /docs)",
          flush=True)
    proxies = settings().forwarded_allow_ips  # behind Caddy/nginx: whose X-Forwarded-For to believe
    uvicorn.run("server_api.serving:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
    return 0


# A stop waits this long for requests in flight, then cuts what is left: change streams never end by
# themselves (their clients reconnect with Last-Event-ID), so without it a stop would wait for ever.
GRACEFUL_SHUTDOWN_S = 10


def _check_port_free(host: str, port: int) -> None:
    """Say a busy port plainly, before the banner claims the server is there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise VaultError("conflict", f"cannot listen on {host}:{port}: {exc.strerror} "
                                         "(another server running? choose one with --port)") from None


def _create_user(args) -> int:
    _require_server_extra()
    from server_api.store.sql.opening import open_server_store

    password = _read_password(args.name)
    store = open_server_store(settings(), args.data)
    try:
        user = create_account(store, args.name, password, admin=args.admin, display_name=args.display_name)
    finally:
        store.close()
    role = "server admin" if user.is_admin else "user"
    print(f"created {role} {user.username}")
    return 0


def create_account(root, username: str, password: str | None, *, admin: bool = False,
                   display_name: str = ""):
    """Setup-tool account creation on a server's root store (no signed-in actor needed)."""
    if admin:
        return root.create_admin(username, password, display_name)
    acting = acting_admin(root)  # the store's own rules still apply to the new account
    return acting.create_user(username, password, display_name=display_name)


def _read_password(name: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"Password for {name}: ")
        if getpass.getpass("Again: ") != first:
            raise VaultError("invalid_argument", "the two passwords differ")
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise VaultError("invalid_argument", "no password on stdin (one line expected)")
    return line


if __name__ == "__main__":
    sys.exit(main())
