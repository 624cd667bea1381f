"""Similar-image and colour search (issue 14): blob_hash (64-bit perceptual hash of some bytes and
its four indexed 16-bit bands) and blob_colour (up to 5 dominant Lab colours with their shares).

Keyed by sha256 like the blobs. Bytes imported before this migration have no rows; the migration
cannot read blobs, so `vault reindex` (or `vault fsck --repair`) fills them in.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blob_hash',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('phash', sa.BigInteger(), nullable=True),
    sa.Column('band0', sa.Integer(), nullable=True),
    sa.Column('band1', sa.Integer(), nullable=True),
    sa.Column('band2', sa.Integer(), nullable=True),
    sa.Column('band3', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blob_hash'))
    )
    for band in ('band0', 'band1', 'band2', 'band3'):
        op.create_index(op.f(f'ix_blob_hash_{band}'), 'blob_hash', [band], unique=False)
    op.create_table('blob_colour',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('lab_l', sa.Float(), nullable=False),
    sa.Column('lab_a', sa.Float(), nullable=False),
    sa.Column('lab_b', sa.Float(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('cell', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', 'rank', name=op.f('pk_blob_colour'))
    )
    op.create_index('ix_blob_colour_cell', 'blob_colour', ['cell', 'sha256'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_blob_colour_cell', table_name='blob_colour')
    op.drop_table('blob_colour')
    for band in ('band0', 'band1', 'band2', 'band3'):
        op.drop_index(op.f(f'ix_blob_hash_{band}'), table_name='blob_hash')
    op.drop_table('blob_hash')
