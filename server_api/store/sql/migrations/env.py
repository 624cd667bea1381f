"""Alembic environment. Runs on the connection ensure_schema() hands over (config.attributes), or, for
developers running the ``alembic`` command, on the URL given with ``-x url=…``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from server_api.store.sql.models import Base

config = context.config


def _run(connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("pass the database: alembic -c …/alembic.ini -x url=sqlite:///path/vault.db …")
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
