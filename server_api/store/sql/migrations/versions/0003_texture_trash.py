"""texture_image.deleted_at: a deleted texture stays in the trash (restorable) until emptied

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('texture_image', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_texture_collection_deleted', 'texture_image', ['collection_id', 'deleted_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_texture_collection_deleted', table_name='texture_image')
    op.drop_column('texture_image', 'deleted_at')
