"""texture_image (name_key, id): search across collections walks names in order, as one collection does

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_texture_name', 'texture_image', ['name_key', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_texture_name', table_name='texture_image')
