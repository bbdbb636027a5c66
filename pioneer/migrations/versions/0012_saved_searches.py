"""Saved searches and the alerts mailed for them (the fit finder, issue 18)

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('projects', 'start', name='searchkind', native_enum=False, create_constraint=False,
                              length=24), nullable=False),
    sa.Column('query', sa.String(length=2000), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('frequency', sa.Enum('never', 'at_once', 'weekly', name='alertfrequency', native_enum=False,
                                   create_constraint=False, length=24), nullable=False),
    sa.Column('watermark', sa.DateTime(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index('ix_saved_searches_frequency', ['frequency'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_searches_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_searches_user_id'))
        batch_op.drop_index('ix_saved_searches_frequency')

    op.drop_table('saved_searches')
