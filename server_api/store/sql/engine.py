"""Engine setup for the SQL store: SQLite for local vaults and small servers, PostgreSQL for big ones.

SQLite gets WAL (readers never block the writer), foreign keys, a 30 s busy timeout, and write
transactions that begin IMMEDIATE: a writer takes the write lock up front, so two writers queue on
the busy timeout instead of failing with "database is locked" when a read lock turns into a write.
Reads keep plain deferred BEGIN so they run beside the writer. This is SQLAlchemy's documented
pysqlite recipe (take BEGIN away from the driver, emit it ourselves).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_SECONDS = 30
WRITE_OPTION = "vault_write"  # execution option that marks the write engine


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with this project's SQLite rules, or a plain pooled PostgreSQL engine."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def write_engine(engine: Engine) -> Engine:
    """A view of ``engine`` whose transactions begin IMMEDIATE on SQLite (no-op elsewhere)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        # Threads import in parallel; each holds a connection only for its short transactions.
        pool_size=8,
        max_overflow=32,
        pool_timeout=BUSY_TIMEOUT_SECONDS,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # the driver must not emit BEGIN; we do, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode across app crashes
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
