"""The schema comes from Alembic migrations, on SQLite and on PostgreSQL, and matches models.py."""

from __future__ import annotations

import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from postgres import fresh_database_url
from sqlalchemy import insert, inspect, select, text

from server_api.core.errors import VaultError
from server_api.store.sql.engine import make_engine, sqlite_url, write_engine
from server_api.store.sql.models import Base, UserRow
from server_api.store.sql.schema import (
    HEAD_REVISION,
    INITIAL_REVISION,
    alembic_config,
    ensure_schema,
    stored_revision,
)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    url = sqlite_url(tmp_path / "db.sqlite") if request.param == "sqlite" else fresh_database_url()
    made = make_engine(url)
    yield made
    made.dispose()


def schema_differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_head_constant_names_the_newest_migration():
    assert ScriptDirectory.from_config(alembic_config(None)).get_current_head() == HEAD_REVISION


def test_migrations_from_nothing_build_exactly_the_models(engine):
    with write_engine(engine).begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        assert stored_revision(conn) == HEAD_REVISION


def test_a_new_database_is_ready_and_stamped(engine):
    ensure_schema(engine)
    ensure_schema(engine)  # twice is harmless
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        assert stored_revision(conn) == HEAD_REVISION


def test_a_database_made_before_migrations_keeps_its_rows(engine):
    # How vaults were made before Alembic: create_all of the models as they were then (revision
    # 0001's schema), with no alembic_version table.
    with write_engine(engine).begin() as conn:
        command.upgrade(alembic_config(conn), INITIAL_REVISION)
        conn.execute(text("DROP TABLE alembic_version"))
    with engine.begin() as conn:
        conn.execute(insert(UserRow.__table__).values(username="early", display_name="", is_admin=True,
                                                      is_active=True, failed_logins=0,
                                                      created_at=text("CURRENT_TIMESTAMP")))
    ensure_schema(engine)
    with engine.connect() as conn:
        assert stored_revision(conn) == HEAD_REVISION
        assert conn.execute(select(UserRow.username)).scalars().all() == ["early"]


def test_a_database_from_a_newer_app_is_refused_untouched(engine):
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(VaultError) as caught:
        ensure_schema(engine)
    assert caught.value.code == "conflict" and "9999" in caught.value.message
    assert "user" in inspect(engine).get_table_names()


def test_processes_opening_one_new_database_at_once_agree(engine):
    errors: list[BaseException] = []

    def open_it():
        try:
            ensure_schema(engine)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert schema_differences(engine) == []
