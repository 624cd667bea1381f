"""Retention (issue 15): collection.keep_last (a per-collection policy, NULL: keep every version) and
image_version.trashed_at (the version trash: hidden, restorable, purged after TRASH_KEEP_DAYS)

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('collection') as batch:
        batch.add_column(sa.Column('keep_last', sa.Integer(), nullable=True))
    with op.batch_alter_table('image_version') as batch:
        batch.add_column(sa.Column('trashed_at', sa.DateTime(timezone=True), nullable=True))
    # partial: only trashed rows (a full index would be picked for "trashed_at IS NULL" and scan all)
    op.create_index('ix_image_version_trashed', 'image_version', ['trashed_at'], unique=False,
                    sqlite_where=sa.text('trashed_at IS NOT NULL'),
                    postgresql_where=sa.text('trashed_at IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_image_version_trashed', table_name='image_version')
    with op.batch_alter_table('image_version') as batch:
        batch.drop_column('trashed_at')
    with op.batch_alter_table('collection') as batch:
        batch.drop_column('keep_last')
