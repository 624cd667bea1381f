"""Bring a database to the current schema. One entry point, so the local vault and the server
both go through the same migrations."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from server_api.store.sql.models import Base


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema on ``engine``. Idempotent."""
    Base.metadata.create_all(engine)
