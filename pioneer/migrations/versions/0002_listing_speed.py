"""Listing speed: sort indexes and the catalogue version that count caches key on

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    catalogue_state = op.create_table(
        'catalogue_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_state')),
    )
    op.bulk_insert(catalogue_state, [{'id': 1, 'version': 0}])
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_status_stars_time')
        batch_op.create_index('ix_projects_status_stars_time', ['status', 'stars', 'time_rating', 'approved_at'], unique=False)
        batch_op.create_index('ix_projects_approved_at', ['approved_at'], unique=False)
        batch_op.create_index('ix_projects_sort_stars', [sa.text('coalesce(stars, 6)'), 'title', 'id'], unique=False)
        batch_op.create_index('ix_projects_sort_time', [sa.text('coalesce(time_rating, 6)'), 'title', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_sort_time')
        batch_op.drop_index('ix_projects_sort_stars')
        batch_op.drop_index('ix_projects_approved_at')
        batch_op.drop_index('ix_projects_status_stars_time')
        batch_op.create_index('ix_projects_status_stars_time', ['status', 'stars', 'time_rating'], unique=False)
    op.drop_table('catalogue_state')
