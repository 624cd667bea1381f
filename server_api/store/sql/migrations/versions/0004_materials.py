"""materials: PBR texture sets as one thing (maps with roles, material versions, grouping keys, holds)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('name_key', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['collection_id'], ['collection.id'],
                            name=op.f('fk_material_collection_id_collection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material'))
    )
    op.create_index('ix_material_collection_name', 'material', ['collection_id', 'name_key', 'id'],
                    unique=False)
    op.create_table('material_group_key',
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['collection.id'],
                            name=op.f('fk_material_group_key_collection_id_collection'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'],
                            name=op.f('fk_material_group_key_material_id_material'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collection_id', 'key_hash', name=op.f('pk_material_group_key'))
    )
    op.create_index(op.f('ix_material_group_key_material_id'), 'material_group_key', ['material_id'],
                    unique=False)
    op.create_table('material_hold',
    sa.Column('texture_id', sa.Integer(), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['texture_id'], ['texture_image.id'],
                            name=op.f('fk_material_hold_texture_id_texture_image'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('texture_id', name=op.f('pk_material_hold'))
    )
    op.create_table('material_map',
    sa.Column('texture_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('normal_convention', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'],
                            name=op.f('fk_material_map_material_id_material'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['texture_id'], ['texture_image.id'],
                            name=op.f('fk_material_map_texture_id_texture_image'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('texture_id', name=op.f('pk_material_map'))
    )
    op.create_index(op.f('ix_material_map_material_id'), 'material_map', ['material_id'], unique=False)
    op.create_table('material_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_material_version_created_by_id_user')),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'],
                            name=op.f('fk_material_version_material_id_material'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_version')),
    sa.UniqueConstraint('material_id', 'number', name='uq_material_version_number')
    )
    op.create_table('material_version_map',
    sa.Column('material_version_id', sa.Integer(), nullable=False),
    sa.Column('texture_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('normal_convention', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['material_version_id'], ['material_version.id'],
                            name=op.f('fk_material_version_map_material_version_id_material_version'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['texture_id'], ['texture_image.id'],
                            name=op.f('fk_material_version_map_texture_id_texture_image'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['image_version.id'],
                            name=op.f('fk_material_version_map_version_id_image_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('material_version_id', 'texture_id', name=op.f('pk_material_version_map'))
    )
    op.create_index(op.f('ix_material_version_map_texture_id'), 'material_version_map', ['texture_id'],
                    unique=False)
    op.create_index(op.f('ix_material_version_map_version_id'), 'material_version_map', ['version_id'],
                    unique=False)
    # material -> its current version, added once material_version exists (batch mode, so SQLite
    # copies the still-empty table), as 0001 does for texture_image.
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_material_current_version_id_material_version'),
                                    'material_version', ['current_version_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_material_current_version_id_material_version'),
                                 type_='foreignkey')
    op.drop_index(op.f('ix_material_version_map_version_id'), table_name='material_version_map')
    op.drop_index(op.f('ix_material_version_map_texture_id'), table_name='material_version_map')
    op.drop_table('material_version_map')
    op.drop_table('material_version')
    op.drop_index(op.f('ix_material_map_material_id'), table_name='material_map')
    op.drop_table('material_map')
    op.drop_table('material_hold')
    op.drop_index(op.f('ix_material_group_key_material_id'), table_name='material_group_key')
    op.drop_table('material_group_key')
    op.drop_index('ix_material_collection_name', table_name='material')
    op.drop_table('material')
