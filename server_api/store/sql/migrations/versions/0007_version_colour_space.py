"""image_version.colour_space: srgb | linear | unknown, decided at import, overridable (issue 13)

Existing rows are backfilled as 'unknown' (the server default); re-deciding needs the blob, which a
migration must not read. The user can set the right value with `vault colour-space`.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('image_version') as batch:
        batch.add_column(sa.Column('colour_space', sa.String(length=16), nullable=False,
                                   server_default='unknown'))


def downgrade() -> None:
    with op.batch_alter_table('image_version') as batch:
        batch.drop_column('colour_space')
