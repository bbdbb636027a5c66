"""Durable search index work: search_pending

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_pending',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_pending')),
    )
    with op.batch_alter_table('search_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_pending_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('search_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_pending_project_id'))
    op.drop_table('search_pending')
