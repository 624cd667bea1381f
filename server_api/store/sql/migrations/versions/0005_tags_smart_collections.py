"""tags (vault-wide, parents, aliases) on textures and materials; smart collections (saved queries)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['tag.id'], name=op.f('fk_tag_parent_id_tag'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag')),
    sa.UniqueConstraint('name_key', name=op.f('uq_tag_name_key'))
    )
    op.create_index(op.f('ix_tag_parent_id'), 'tag', ['parent_id'], unique=False)
    op.create_table('tag_alias',
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_tag_alias_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('name_key', name=op.f('pk_tag_alias'))
    )
    op.create_index(op.f('ix_tag_alias_tag_id'), 'tag_alias', ['tag_id'], unique=False)
    op.create_table('texture_tag',
    sa.Column('texture_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_texture_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['texture_id'], ['texture_image.id'],
                            name=op.f('fk_texture_tag_texture_id_texture_image'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('texture_id', 'tag_id', name=op.f('pk_texture_tag'))
    )
    op.create_index('ix_texture_tag_tag_texture', 'texture_tag', ['tag_id', 'texture_id'], unique=False)
    op.create_table('material_tag',
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'],
                            name=op.f('fk_material_tag_material_id_material'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_material_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('material_id', 'tag_id', name=op.f('pk_material_tag'))
    )
    op.create_index('ix_material_tag_tag_material', 'material_tag', ['tag_id', 'material_id'], unique=False)
    op.create_table('smart_collection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_smart_collection_user_id_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_smart_collection')),
    sa.UniqueConstraint('user_id', 'name', name='uq_smart_collection_user_name')
    )


def downgrade() -> None:
    op.drop_table('smart_collection')
    op.drop_index('ix_material_tag_tag_material', table_name='material_tag')
    op.drop_table('material_tag')
    op.drop_index('ix_texture_tag_tag_texture', table_name='texture_tag')
    op.drop_table('texture_tag')
    op.drop_index(op.f('ix_tag_alias_tag_id'), table_name='tag_alias')
    op.drop_table('tag_alias')
    op.drop_index(op.f('ix_tag_parent_id'), table_name='tag')
    op.drop_table('tag')
