"""The server's setup commands act as a server admin (create-user, webhooks): which one, and how."""

from __future__ import annotations

from server_api.core.errors import VaultError


def acting_admin(root):
    """The root store acting as a server admin, for setup commands that change what admins manage."""
    return root.for_user(any_admin(root))


def any_admin(store) -> str:
    """Accounts are made by an admin; before the first one exists, say how to make it."""
    from sqlalchemy import select

    from server_api.store.sql.models import UserRow

    with store.engine.connect() as conn:
        name = conn.execute(
            select(UserRow.username).where(UserRow.is_admin.is_(True), UserRow.is_active.is_(True)).limit(1)
        ).scalar()
    if name is None:
        raise VaultError("invalid_argument", "create the first account with --admin")
    return name
