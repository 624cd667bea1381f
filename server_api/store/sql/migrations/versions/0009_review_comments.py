"""Review (issue 16): comments on versions (optionally on an image region), review status per
version, collections that require review, and each user's notification read marker

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('version_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('region_x', sa.Float(), nullable=True),
    sa.Column('region_y', sa.Float(), nullable=True),
    sa.Column('region_w', sa.Float(), nullable=True),
    sa.Column('region_h', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_version_comment_author_id_user')),
    sa.ForeignKeyConstraint(['version_id'], ['image_version.id'],
                            name=op.f('fk_version_comment_version_id_image_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_comment'))
    )
    op.create_index('ix_version_comment_version', 'version_comment', ['version_id', 'id'], unique=False)
    op.create_table('version_review',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_version_review_set_by_id_user')),
    sa.ForeignKeyConstraint(['version_id'], ['image_version.id'],
                            name=op.f('fk_version_review_version_id_image_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_version_review'))
    )
    op.create_table('collection_review',
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['collection.id'],
                            name=op.f('fk_collection_review_collection_id_collection'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_collection_review_set_by_id_user')),
    sa.PrimaryKeyConstraint('collection_id', name=op.f('pk_collection_review'))
    )
    op.create_table('notification_mark',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('read_up_to', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_mark_user_id_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_mark'))
    )
    op.create_index('ix_image_version_created_by', 'image_version', ['created_by_id', 'texture_id'],
                    unique=False)
    op.create_index('ix_audit_texture', 'audit_event', ['texture_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_texture', table_name='audit_event')
    op.drop_index('ix_image_version_created_by', table_name='image_version')
    op.drop_table('notification_mark')
    op.drop_table('collection_review')
    op.drop_table('version_review')
    op.drop_index('ix_version_comment_version', table_name='version_comment')
    op.drop_table('version_comment')
