"""PostgreSQL: "newest" listings walk public projects in order instead of unapproved ones first

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 07:40:00

A descending walk of ix_projects_approved_at meets NULLs first on PostgreSQL, so the newest public
projects came after every unapproved one (25 ms for the home page at 100,000 projects). There the
index now holds approved projects only, and ix_projects_public_newest holds public projects newest
first, with the listing's filter columns, so a filtered page is read from the index alone. SQLite
sorts NULLs last and is unchanged.
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

PUBLIC = "status IN ('available', 'in_progress', 'done')"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_projects_approved_at', table_name='projects')
    op.create_index('ix_projects_approved_at', 'projects', ['approved_at'],
                    postgresql_where=sa.text('approved_at IS NOT NULL'))
    op.create_index('ix_projects_public_newest', 'projects', ['approved_at', 'id'],
                    postgresql_include=['stars', 'time_rating', 'area_id'], postgresql_where=sa.text(PUBLIC))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_projects_public_newest', table_name='projects')
    op.drop_index('ix_projects_approved_at', table_name='projects')
    op.create_index('ix_projects_approved_at', 'projects', ['approved_at'])
