"""Colour search reads the index only: blob_colour's cell index also holds the colour (L, a, b) and its
share, so the exact ΔE of the colours in the probed cells is measured without a table read per colour
(search_bench, colour: at 100k textures; see store/sql/similar_sql.py). blob_hash.recipe: the
fingerprint recipe (imaging/fingerprint.RECIPE) that made a row; reindex recomputes older ones.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('blob_hash') as batch:
        batch.add_column(sa.Column('recipe', sa.Integer(), server_default='1', nullable=False))
    op.create_index('ix_blob_colour_cell_lab', 'blob_colour',
                    ['cell', 'lab_l', 'lab_a', 'lab_b', 'weight', 'sha256'], unique=False)
    op.drop_index('ix_blob_colour_cell', table_name='blob_colour')


def downgrade() -> None:
    op.create_index('ix_blob_colour_cell', 'blob_colour', ['cell', 'sha256'], unique=False)
    op.drop_index('ix_blob_colour_cell_lab', table_name='blob_colour')
    with op.batch_alter_table('blob_hash') as batch:
        batch.drop_column('recipe')
