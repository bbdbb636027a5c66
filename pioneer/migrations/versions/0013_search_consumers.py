"""Which Whoosh index folders consume the search outbox, so a second host's index is noticed

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 22:30:00

"""
from alembic import op
import sqlalchemy as sa



revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_consumers',
        sa.Column('index_name', sa.String(length=500), nullable=False),
        sa.Column('last_applied_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('index_name', name=op.f('pk_search_consumers')),
    )


def downgrade():
    op.drop_table('search_consumers')
