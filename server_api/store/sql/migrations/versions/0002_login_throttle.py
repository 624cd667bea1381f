"""login_throttle: failed sign-ins per normalised username, for real and unknown names alike

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_throttle',
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name_key', name=op.f('pk_login_throttle'))
    )
    op.create_index(op.f('ix_login_throttle_last_attempt_at'), 'login_throttle', ['last_attempt_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_login_throttle_last_attempt_at'), table_name='login_throttle')
    op.drop_table('login_throttle')
