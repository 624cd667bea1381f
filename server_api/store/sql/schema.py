"""Bring a database to the current schema. One entry point, so the local vault and the server
both go through the same Alembic migrations (server_api/store/sql/migrations).

Fast when there is nothing to do: one query, and Alembic is not even imported, because the local
vault calls this every time it opens. Safe when several processes open one database at once: the
whole check-and-upgrade runs under the database's write lock (SQLite BEGIN IMMEDIATE, a PostgreSQL
advisory lock), so the second process finds the work done.

- An empty database gets ``create_all`` + a stamp of the head revision (Alembic's documented recipe
  for new databases; tests/server/test_migrations.py proves the migrations build the same schema).
- A database made before migrations existed (tables, no alembic_version) is stamped as the initial
  revision, which is what created it, then upgraded.
- A database from a newer app version is refused with a clear message instead of being damaged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

from server_api.core.errors import VaultError
from server_api.store.sql.engine import write_engine
from server_api.store.sql.models import Base

MIGRATIONS = Path(__file__).with_name("migrations")
INITIAL_REVISION = "0001"
HEAD_REVISION = "0015"  # the newest file in migrations/versions (a test keeps the two in step)
_PG_LOCK_KEY = 7_316_871  # any fixed number: "Texture Vault schema upgrade"


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema on ``engine``. Idempotent."""
    with write_engine(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        current = stored_revision(conn)
        if current == HEAD_REVISION:
            return
        from alembic import command
        from alembic.util.exc import CommandError

        config = alembic_config(conn)
        if current is None and not inspect(conn).has_table("user"):
            metadata_for(conn.dialect.name).create_all(conn)
            command.stamp(config, "head")
            return
        if current is None:
            command.stamp(config, INITIAL_REVISION)  # made by create_all before migrations existed
        try:
            command.upgrade(config, "head")
        except CommandError as exc:
            raise VaultError("conflict", f"this database has schema revision {current!r}, which this "
                             f"version of Texture Vault does not know; update the app ({exc})") from None


@cache
def metadata_for(dialect: str) -> MetaData:
    """A private copy of the models' metadata per dialect. Seen with SQLAlchemy 2.1: after a
    PostgreSQL create_all (which adds the texture<->version foreign keys with ALTER), a SQLite
    create_all from the same shared metadata leaves those keys out. Tests mix both dialects."""
    copy = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


def stored_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(conn: Connection | None):
    """Alembic configured in code (no alembic.ini needed), running on ``conn``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config
