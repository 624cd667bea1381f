"""Comments carry an idempotency key (issue 16 leftover): version_comment.idempotency_key holds the
caller's Idempotency-Key hashed with its author (rows.scoped_upload_key), NULL for a comment sent
without one; unique, so a retried POST finds the comment its first attempt made instead of posting a
second.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('version_comment') as batch:
        batch.add_column(sa.Column('idempotency_key', sa.String(length=64), nullable=True))
    op.create_index('ux_version_comment_idempotency_key', 'version_comment', ['idempotency_key'],
                    unique=True)


def downgrade() -> None:
    op.drop_index('ux_version_comment_idempotency_key', table_name='version_comment')
    with op.batch_alter_table('version_comment') as batch:
        batch.drop_column('idempotency_key')
