"""QA rules per collection and QA findings per version (issue 13)

collection.qa_rules: the collection's rules as JSON ('' = none). image_version.qa_findings: the
version's findings as JSON ('' = none checked), with qa_warnings / qa_errors counts so listings,
badges and the qa: query field need no second query. Existing rows: no rules, no findings.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('collection') as batch:
        batch.add_column(sa.Column('qa_rules', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('image_version') as batch:
        batch.add_column(sa.Column('qa_findings', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('qa_warnings', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('qa_errors', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('image_version') as batch:
        batch.drop_column('qa_errors')
        batch.drop_column('qa_warnings')
        batch.drop_column('qa_findings')
    with op.batch_alter_table('collection') as batch:
        batch.drop_column('qa_rules')
